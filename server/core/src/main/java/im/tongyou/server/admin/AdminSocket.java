package im.tongyou.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.tongyou.api.AccountException;
import im.tongyou.api.Accounts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Unix domain socket in the data directory through which {@code bin/tongyou user ...} manages
 * accounts while the server runs (so sessions of a removed user end at once). Only the owner of the
 * data directory can reach it: the socket file is mode 0600. One JSON request per line, one JSON
 * answer per line.
 */
public final class AdminSocket implements AutoCloseable {

    /** The socket's file name in the data directory. */
    public static final String FILE_NAME = "admin.sock";

    private static final Logger log = LoggerFactory.getLogger(AdminSocket.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REQUEST_CHARS = 8192;

    private final Path path;
    private final ServerSocketChannel server;
    private final Accounts accounts;
    private final Privacy privacy;
    private final ExecutorService workers;
    private final Thread acceptor;

    /** The privacy tasks the socket offers: a user's export archive and the data map. */
    public interface Privacy {
        /** Writes the user's export archive to the file; false when there is no such account. */
        boolean exportTo(String username, Path file) throws IOException;

        /** The data map as Markdown. */
        String dataMap();

        /** Imports a user's export archive as a new account; returns the username. */
        String importFrom(Path file, char[] password) throws AccountException;
    }

    private AdminSocket(Path path, ServerSocketChannel server, Accounts accounts, Privacy privacy,
                        ExecutorService workers) {
        this.path = path;
        this.server = server;
        this.accounts = accounts;
        this.privacy = privacy;
        this.workers = workers;
        this.acceptor = new Thread(this::acceptLoop, "tongyou-admin-socket");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Opens the socket, or returns {@code null} (and logs why) where Unix sockets cannot be used. */
    public static AdminSocket open(Path dataDir, Accounts accounts, Privacy privacy, ExecutorService workers) {
        Path path = dataDir.toAbsolutePath().resolve(FILE_NAME);
        try {
            Files.deleteIfExists(path); // a leftover from a crash; the pid check is the launcher's
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            try {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                log.debug("the file system has no POSIX permissions; {} keeps its default mode", path);
            }
            return new AdminSocket(path, server, accounts, privacy, workers);
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("no admin socket at {} ({}); bin/tongyou user commands need the server stopped", path, e.toString());
            return null;
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                workers.execute(() -> serve(client));
            } catch (IOException e) {
                if (server.isOpen()) {
                    log.warn("admin socket accept failed", e);
                }
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client;
             BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                     StandardCharsets.UTF_8));
             OutputStream out = Channels.newOutputStream(client)) {
            String line = in.readLine();
            if (line == null) {
                return; // a client that only checked that the server runs
            }
            ObjectNode answer = JSON.createObjectNode();
            if (line.length() > MAX_REQUEST_CHARS) {
                answer.put("ok", false).put("error", "the request is missing or too long");
            } else {
                answer = handle(JSON.readTree(line));
            }
            out.write((JSON.writeValueAsString(answer) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            log.warn("admin socket request failed: {}", e.toString());
        }
    }

    private ObjectNode handle(JsonNode request) {
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        String op = request.path("op").asText();
        String name = request.path("name").asText(null);
        char[] password = request.hasNonNull("password") ? request.get("password").asText().toCharArray() : null;
        try {
            switch (op) {
                case "add" -> accounts.create(name, password);
                case "passwd" -> accounts.setPassword(name, password);
                case "remove" -> {
                    if (!accounts.delete(name)) {
                        throw new AccountException(AccountException.Reason.NO_SUCH_ACCOUNT, "there is no such account");
                    }
                }
                case "export" -> {
                    String file = request.path("path").asText("");
                    if (file.isEmpty() || !Path.of(file).isAbsolute()) {
                        throw new AccountException(AccountException.Reason.NO_SUCH_ACCOUNT, "the export needs an absolute path");
                    }
                    if (!privacy.exportTo(name, Path.of(file))) {
                        throw new AccountException(AccountException.Reason.NO_SUCH_ACCOUNT, "there is no such account");
                    }
                }
                case "data-map" -> answer.put("markdown", privacy.dataMap());
                case "import" -> {
                    String file = request.path("path").asText("");
                    if (file.isEmpty() || !Path.of(file).isAbsolute()) {
                        throw new AccountException(AccountException.Reason.NO_SUCH_ACCOUNT, "the import needs an absolute path");
                    }
                    answer.put("name", privacy.importFrom(Path.of(file), password));
                }
                case "list" -> {
                    var users = answer.putArray("users");
                    accounts.list(0, Integer.MAX_VALUE).forEach(users::add);
                }
                default -> answer.put("ok", false).put("error", "unknown operation '" + op + "'");
            }
            if (!"list".equals(op) && !"data-map".equals(op) && answer.path("ok").asBoolean()) {
                log.info("admin socket: {} {}", op, name);
            }
        } catch (AccountException e) {
            answer.put("ok", false).put("error", e.getMessage()).put("reason", e.reason().name());
        } catch (IOException e) {
            answer.put("ok", false).put("error", "cannot write the export: " + e.getMessage());
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
        return answer;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
