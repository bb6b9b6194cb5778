package im.tongyou.server.feature.push;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** At most one notification per device per interval; what arrives meanwhile goes out together at its end. */
class PushRateLimiterTest {

    final TestClock clock = new TestClock();
    final List<Runnable> scheduled = new ArrayList<>();
    final List<Duration> delays = new ArrayList<>();
    final List<String> sent = new ArrayList<>();
    final PushRateLimiter limiter = new PushRateLimiter(clock, Duration.ofSeconds(10), (task, delay) -> {
        scheduled.add(task);
        delays.add(delay);
    }, (device, batch) -> sent.add(device + ":" + batch.count() + ":" + batch.body()));

    @Test
    void aBurstGivesOneNotificationAtOnceAndOneWithTheRestAtTheEndOfTheInterval() {
        limiter.offer("phone", null, null);
        assertThat(sent).containsExactly("phone:1:null");

        clock.advance(Duration.ofSeconds(2));
        limiter.offer("phone", null, null);
        limiter.offer("phone", null, null);
        limiter.offer("tablet", null, "hi");
        assertThat(sent).containsExactly("phone:1:null", "tablet:1:hi");
        assertThat(delays).containsExactly(Duration.ofSeconds(8));

        clock.advance(Duration.ofSeconds(8));
        scheduled.remove(0).run();
        assertThat(sent).containsExactly("phone:1:null", "tablet:1:hi", "phone:2:null");

        clock.advance(Duration.ofSeconds(3));
        limiter.offer("phone", null, "latest");
        assertThat(sent).hasSize(3);
        clock.advance(Duration.ofSeconds(7));
        scheduled.remove(0).run();
        assertThat(sent).last().isEqualTo("phone:1:latest");
        clock.advance(Duration.ofSeconds(30));
        limiter.offer("phone", null, null);
        assertThat(sent).last().isEqualTo("phone:1:null");
        assertThat(scheduled).isEmpty();
    }
}
