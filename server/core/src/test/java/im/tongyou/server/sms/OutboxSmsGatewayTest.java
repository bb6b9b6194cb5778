package im.tongyou.server.sms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import im.tongyou.server.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development SMS outbox: one JSON line per message, readable by the server's user only. */
class OutboxSmsGatewayTest {

    @TempDir
    Path dir;

    @Test
    void eachMessageIsOneJsonLine() throws Exception {
        Path file = dir.resolve(OutboxSmsGateway.FILE_NAME);
        OutboxSmsGateway outbox = new OutboxSmsGateway(file, new TestClock());
        outbox.send("+8613800138000", "【通友】验证码 123456");
        outbox.send("+14155552671", "line with \"quotes\"\nand a newline");

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("to").asText()).isEqualTo("+8613800138000");
        assertThat(first.get("text").asText()).isEqualTo("【通友】验证码 123456");
        assertThat(first.get("at").asText()).isEqualTo("2026-11-29T00:00:00Z");
        assertThat(new ObjectMapper().readTree(lines.get(1)).get("text").asText()).contains("\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
