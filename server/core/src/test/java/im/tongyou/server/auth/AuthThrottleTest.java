package im.tongyou.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {

    /** A clock that tests move by hand. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static final InetAddress HOME = address("192.0.2.1");
    private static final InetAddress AWAY = address("198.51.100.7");

    private final MutableClock clock = new MutableClock();
    private final AuthThrottle throttle = new AuthThrottle(AuthThrottle.Limits.of(3, 5, Duration.ofMinutes(15)), clock);

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static AuthThrottle.Decision refused(AuthThrottle.Scope scope, Duration retryAfter) {
        return new AuthThrottle.Decision.Refused(scope, retryAfter);
    }

    @Test
    void anAccountIsRefusedAfterTooManyFailuresUntilItsWindowCloses() {
        throttle.recordFailure("juliet", HOME);
        clock.advance(Duration.ofMinutes(5));
        throttle.recordFailure("juliet", AWAY);
        throttle.recordFailure("Juliet", address("203.0.113.9"));

        assertThat(throttle.check("juliet", address("203.0.113.200")))
                .isEqualTo(refused(AuthThrottle.Scope.ACCOUNT, Duration.ofMinutes(10)));
        assertThat(throttle.check("romeo", HOME)).isInstanceOf(AuthThrottle.Decision.Allowed.class);

        clock.advance(Duration.ofMinutes(10));
        assertThat(throttle.check("juliet", HOME)).isInstanceOf(AuthThrottle.Decision.Allowed.class);
    }

    @Test
    void anAddressIsRefusedAfterTooManyFailuresOnAnyAccounts() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("user" + i, HOME);
        }

        assertThat(throttle.check("someone", HOME))
                .isEqualTo(refused(AuthThrottle.Scope.ADDRESS, Duration.ofMinutes(15)));
        assertThat(throttle.check(null, HOME)).isInstanceOf(AuthThrottle.Decision.Refused.class);
        assertThat(throttle.check("someone", AWAY)).isInstanceOf(AuthThrottle.Decision.Allowed.class);
    }

    @Test
    void ipv6AddressesAreCountedPerSlash64() {
        for (int i = 1; i <= 5; i++) {
            throttle.recordFailure(null, address("2001:db8:1:2::" + i));
        }

        assertThat(throttle.check(null, address("2001:db8:1:2:ffff::1"))).isInstanceOf(AuthThrottle.Decision.Refused.class);
        assertThat(throttle.check(null, address("2001:db8:1:3::1"))).isInstanceOf(AuthThrottle.Decision.Allowed.class);
    }

    @Test
    void successClearsTheAccountButNotTheAddress() {
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure("juliet", HOME);
        }
        throttle.recordFailure("romeo", HOME);
        throttle.recordFailure("tybalt", HOME);

        throttle.recordSuccess("juliet", HOME);

        assertThat(throttle.check("juliet", AWAY)).isInstanceOf(AuthThrottle.Decision.Allowed.class);
        assertThat(throttle.check("juliet", HOME)).isInstanceOf(AuthThrottle.Decision.Refused.class);
    }

    @Test
    void failureDelaysStartAtZeroAndDoubleUpToTheCap() {
        assertThat(throttle.failureDelay("juliet", HOME)).isZero();
        Duration[] expected = {Duration.ZERO, Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(4), Duration.ofSeconds(4)};
        for (Duration delay : expected) {
            throttle.recordFailure("juliet", HOME);
            assertThat(throttle.failureDelay("juliet", HOME)).isEqualTo(delay);
        }

        clock.advance(Duration.ofMinutes(15));
        assertThat(throttle.failureDelay("juliet", HOME)).isZero();
    }

    @Test
    void theLongerOfTwoRefusalsWins() {
        AuthThrottle tight = new AuthThrottle(AuthThrottle.Limits.of(1, 1, Duration.ofMinutes(15)), clock);
        tight.recordFailure(null, HOME);
        clock.advance(Duration.ofMinutes(1));
        tight.recordFailure("juliet", AWAY);

        assertThat(tight.check("juliet", HOME)).isEqualTo(refused(AuthThrottle.Scope.ACCOUNT, Duration.ofMinutes(15)));
        clock.advance(Duration.ofMinutes(14));
        assertThat(tight.check("juliet", HOME)).isEqualTo(refused(AuthThrottle.Scope.ACCOUNT, Duration.ofMinutes(1)));
    }

    @Test
    void memoryStaysBoundedUnderASprayOfNamesAndAddresses() {
        AuthThrottle small = new AuthThrottle(new AuthThrottle.Limits(3, 5, Duration.ofMinutes(15), 100,
                Duration.ofMillis(250), Duration.ofSeconds(4)), clock);
        for (int i = 0; i < 10_000; i++) {
            small.recordFailure("random" + i, address("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)));
        }

        assertThat(small.trackedKeys()).isEqualTo(200);
        // The newest entries are still counted; the oldest were dropped.
        small.recordFailure("random9999", AWAY);
        small.recordFailure("random9999", AWAY);
        assertThat(small.check("random9999", HOME)).isInstanceOf(AuthThrottle.Decision.Refused.class);
        assertThat(small.check("random0", HOME)).isInstanceOf(AuthThrottle.Decision.Allowed.class);
    }

    @Test
    void longNamesAreCountedLikeShortOnes() {
        String huge = "x".repeat(100_000);
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure(huge, address("203.0.113." + i));
        }

        assertThat(throttle.check(huge.toUpperCase(Locale.ROOT), HOME))
                .isInstanceOf(AuthThrottle.Decision.Refused.class);
        assertThat(throttle.check(huge + "y", HOME)).isInstanceOf(AuthThrottle.Decision.Allowed.class);
    }

    @Test
    void theGateOfAConnectionFollowsCheck() {
        AccountGate gate = throttle.gate(HOME);
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure("juliet", AWAY);
        }

        assertThat(gate.mayAttempt("juliet")).isFalse();
        assertThat(gate.mayAttempt("romeo")).isTrue();
    }

    @Test
    void expiredEntriesAreForgotten() {
        throttle.recordFailure("juliet", HOME);
        throttle.recordFailure("romeo", AWAY);
        clock.advance(Duration.ofMinutes(16));

        throttle.recordFailure("tybalt", address("203.0.113.9"));

        assertThat(throttle.trackedKeys()).isEqualTo(2);
    }
}
