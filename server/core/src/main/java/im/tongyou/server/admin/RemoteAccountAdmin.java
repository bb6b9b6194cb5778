package im.tongyou.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.tongyou.api.AccountException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Account tasks sent to a running server through its {@link AdminSocket}. */
public final class RemoteAccountAdmin implements AccountAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;

    private RemoteAccountAdmin(Path socket) {
        this.socket = socket;
    }

    /** Connects to the running server's admin socket, if the server runs and has one. */
    public static Optional<AccountAdmin> connect(Path dataDir) {
        Path path = dataDir.toAbsolutePath().resolve(AdminSocket.FILE_NAME);
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            return Optional.empty(); // a stale socket file: the server is not running
        }
        return Optional.of(new RemoteAccountAdmin(path));
    }

    @Override
    public void add(String username, char[] password) throws AccountException {
        call(request("add", username).put("password", new String(password)));
    }

    @Override
    public void remove(String username) throws AccountException {
        call(request("remove", username));
    }

    @Override
    public void passwd(String username, char[] password) throws AccountException {
        call(request("passwd", username).put("password", new String(password)));
    }

    @Override
    public List<String> list() {
        try {
            List<String> users = new ArrayList<>();
            call(request("list", null)).path("users").forEach(u -> users.add(u.asText()));
            return users;
        } catch (AccountException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void export(String username, Path file) throws AccountException {
        call(request("export", username).put("path", file.toAbsolutePath().toString()));
    }

    @Override
    public String importFile(Path file, char[] password) throws AccountException {
        return call(request("import", null).put("path", file.toAbsolutePath().toString())
                .put("password", new String(password))).path("name").asText();
    }

    @Override
    public String dataMap() {
        try {
            return call(request("data-map", null)).path("markdown").asText();
        } catch (AccountException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static ObjectNode request(String op, String name) {
        ObjectNode request = JSON.createObjectNode().put("op", op);
        if (name != null) {
            request.put("name", name);
        }
        return request;
    }

    private JsonNode call(ObjectNode request) throws AccountException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            Channels.newOutputStream(channel).write((JSON.writeValueAsString(request) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                    StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null) {
                throw new IOException("the server closed the admin socket without an answer");
            }
            JsonNode answer = JSON.readTree(line);
            if (!answer.path("ok").asBoolean()) {
                AccountException.Reason reason = answer.has("reason")
                        ? AccountException.Reason.valueOf(answer.get("reason").asText())
                        : AccountException.Reason.NO_SUCH_ACCOUNT;
                throw new AccountException(reason, answer.path("error").asText("the server refused"));
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot talk to the running server at " + socket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
    }
}
