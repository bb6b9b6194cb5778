package im.tongyou.server.net.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.Test;

/**
 * The two idle events of a client connection through the real pipeline: a quiet connection
 * ({@code ALL_IDLE}) keeps its session and only has its stream decoder release the parser, so
 * that stanzas in both directions go on as before; a silent one past the stream's idle timeout
 * ({@code READER_IDLE}) is ended with {@code <connection-timeout/>} (RFC 6120 §4.9.3.4).
 */
class IdleConnectionTest {

    @Test
    void aQuietSessionGoesOnSendingAndReceivingAfterItsParserWasReleased() {
        WarningWatch warnings = WarningWatch.install();
        try (C2sHarness harness = new C2sHarness()) {
            FuzzChannel romeo = harness.romeo();
            FuzzChannel juliet = harness.juliet();
            harness.login(romeo, "romeo");
            harness.login(juliet, "juliet");
            juliet.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
            romeo.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
            juliet.runPendingTasks();

            C2sHarness.feed(romeo, "<message to='juliet@tongyou.test/fuzz' type='chat' id='m1'>"
                    + "<body>But soft, what light</body></message>");
            String toJuliet = juliet.takeOutput();
            C2sHarness.feed(juliet, "<message to='romeo@tongyou.test/fuzz' type='chat' id='m2'>"
                    + "<body>Ay me</body></message>");
            String toRomeo = romeo.takeOutput();

            assertThat(toJuliet).contains("id=\"m1\"").contains("<body>But soft, what light</body>")
                    .doesNotContain("<stream:error");
            assertThat(toRomeo).contains("id=\"m2\"").contains("<body>Ay me</body>").doesNotContain("<stream:error");
            assertThat(harness.bound("romeo")).isTrue();
            assertThat(harness.bound("juliet")).isTrue();
            warnings.assertQuiet();
        }
    }

    @Test
    void aSilentSessionIsEndedWithConnectionTimeout() {
        try (C2sHarness harness = new C2sHarness()) {
            FuzzChannel romeo = harness.romeo();
            harness.login(romeo, "romeo");

            romeo.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
            romeo.runPendingTasks();

            assertThat(romeo.takeOutput()).contains("<connection-timeout").contains("</stream:stream>");
        }
    }
}
