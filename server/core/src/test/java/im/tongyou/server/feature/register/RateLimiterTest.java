package im.tongyou.server.feature.register;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sliding window of the registration limits. */
class RateLimiterTest {

    @Test
    void eventsCountWithinTheWindowOnlyAndPerKey() {
        TestClock clock = new TestClock();
        RateLimiter limiter = new RateLimiter(clock, Duration.ofMinutes(10), 2);
        assertThat(limiter.allows("a")).isTrue();
        limiter.record("a");
        clock.advance(Duration.ofMinutes(5));
        limiter.record("a");
        assertThat(limiter.allows("a")).isFalse();
        assertThat(limiter.allows("b")).isTrue();
        assertThat(limiter.latest("a")).isEqualTo(clock.instant());
        clock.advance(Duration.ofMinutes(5));
        assertThat(limiter.allows("a")).as("the first event left the window").isTrue();
        clock.advance(Duration.ofMinutes(5));
        assertThat(limiter.latest("a")).isNull();
    }
}
