package im.tongyou.server.sms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import im.tongyou.api.sms.SmsException;
import im.tongyou.api.sms.SmsGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The development {@link SmsGateway}: appends each message as one JSON line
 * ({@code {"at":…,"to":…,"text":…}}) to {@code sms-outbox.log} in the data directory, readable only
 * by the server's user. It holds phone numbers and verification codes in clear text, so it is for
 * development and tests only: production deployments install a plugin that provides a real gateway.
 */
public final class OutboxSmsGateway implements SmsGateway {

    /** The file name in the data directory. */
    public static final String FILE_NAME = "sms-outbox.log";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Clock clock;

    public OutboxSmsGateway(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    @Override
    public synchronized void send(String e164Number, String text) throws SmsException {
        Map<String, String> line = new LinkedHashMap<>();
        line.put("at", clock.instant().toString());
        line.put("to", e164Number);
        line.put("text", text);
        try {
            if (!Files.exists(file)) {
                Files.createFile(file);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the data directory's own protection applies
                }
            }
            Files.write(file, (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.APPEND);
        } catch (JsonProcessingException e) {
            throw new SmsException("cannot encode the outbox line", e);
        } catch (IOException e) {
            throw new SmsException("cannot append to the SMS outbox " + file + ": " + e.getMessage(), e);
        }
    }
}
