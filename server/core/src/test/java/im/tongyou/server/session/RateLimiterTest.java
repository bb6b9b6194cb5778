package im.tongyou.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstIsAllowedThenTheSustainedRate() {
        RateLimiter limiter = new RateLimiter(10, 5, 0);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire(0)).as("burst token %d", i).isTrue();
        }
        assertThat(limiter.tryAcquire(0)).as("the burst is spent").isFalse();
        assertThat(limiter.tryAcquire(SECOND / 10)).as("one token back after a tenth of a second").isTrue();
        assertThat(limiter.tryAcquire(SECOND / 10)).isFalse();
    }

    @Test
    void idleTimeRefillsNoMoreThanTheBurst() {
        RateLimiter limiter = new RateLimiter(10, 3, 0);
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire(0);
        }
        long later = 60 * SECOND;
        int granted = 0;
        while (limiter.tryAcquire(later)) {
            granted++;
        }
        assertThat(granted).isEqualTo(3);
    }
}
