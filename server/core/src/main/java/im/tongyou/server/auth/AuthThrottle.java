package im.tongyou.server.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Limits failed logins per account and per remote address, and tells how long to delay each
 * failure response, against password guessing
 * (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-13.12">RFC 6120 §13.12</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc4422#section-9">RFC 4422 §9</a>).
 *
 * <p>Failures are counted in fixed windows that open with a key's first failure and last
 * {@link Limits#window()}. While a key has reached its limit, {@link #check} refuses, with the
 * time until its window closes. IPv6 addresses are counted per /64, as one host usually holds a
 * whole /64. User names are compared ignoring case (Locale.ROOT).
 *
 * <p>Memory is bounded: each table keeps at most {@link Limits#maxTrackedKeys()} entries and drops
 * the one whose last failure is oldest. An attacker spraying random names can therefore push a
 * real account's count out; the per-address limit still holds for them. Conversely, a per-account
 * limit lets anyone lock an account for one window: keep the window short. Thread-safe; all
 * methods are quick and never block, so they may run on an event loop.
 */
public final class AuthThrottle {

    /**
     * The limits.
     *
     * @param maxFailuresPerAccount failures on one account within a window before it is refused
     * @param maxFailuresPerAddress failures from one address (IPv6: one /64) within a window
     * @param window                how long failures count
     * @param maxTrackedKeys        the most accounts, and the most addresses, remembered
     * @param baseDelay             the delay of the second failure in a row; each one after doubles it
     * @param maxDelay              the longest delay
     */
    public record Limits(int maxFailuresPerAccount, int maxFailuresPerAddress, Duration window, int maxTrackedKeys,
                         Duration baseDelay, Duration maxDelay) {

        public Limits {
            if (maxFailuresPerAccount < 1 || maxFailuresPerAddress < 1 || maxTrackedKeys < 1) {
                throw new IllegalArgumentException("failure limits and the table size must be positive");
            }
            if (window.isNegative() || window.isZero() || baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
                throw new IllegalArgumentException("the window must be positive and 0 <= baseDelay <= maxDelay");
            }
        }

        /** Limits with the given counts and window, 100,000 keys, delays from 250 ms doubling up to 4 s. */
        public static Limits of(int maxFailuresPerAccount, int maxFailuresPerAddress, Duration window) {
            return new Limits(maxFailuresPerAccount, maxFailuresPerAddress, window, 100_000,
                    Duration.ofMillis(250), Duration.ofSeconds(4));
        }
    }

    /** Whether an attempt may go ahead. */
    public sealed interface Decision {

        /** The attempt may go ahead. */
        record Allowed() implements Decision {
        }

        /**
         * Too many recent failures: answer {@code temporary-auth-failure} (RFC 6120 §6.5.11) without
         * looking the credentials up.
         *
         * @param scope      which limit was reached
         * @param retryAfter when the window that reached it closes
         */
        record Refused(Scope scope, Duration retryAfter) implements Decision {
        }
    }

    /** Which limit refused an attempt. */
    public enum Scope { ACCOUNT, ADDRESS }

    /** The {@code <text/>} sent with {@code temporary-auth-failure} when a limit is reached. */
    public static final String REFUSAL_TEXT = "too many failed attempts; try again later";

    private static final Decision ALLOWED = new Decision.Allowed();
    private static final int MAX_PLAIN_KEY_LENGTH = 64;

    private final Limits limits;
    private final Clock clock;
    private final Table accounts;
    private final Table addresses;

    public AuthThrottle(Limits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.accounts = new Table(limits.maxTrackedKeys());
        this.addresses = new Table(limits.maxTrackedKeys());
    }

    /**
     * Decides whether a login attempt may go ahead; call it before running a mechanism.
     *
     * @param username the user name if known yet, else {@code null}
     * @param address  the client's address
     */
    public synchronized Decision check(String username, InetAddress address) {
        Instant now = clock.instant();
        Window account = username == null ? Window.EMPTY : accounts.current(accountKey(username), now);
        Window origin = addresses.current(addressKey(address), now);
        boolean accountFull = account.failures() >= limits.maxFailuresPerAccount();
        boolean originFull = origin.failures() >= limits.maxFailuresPerAddress();
        if (!accountFull && !originFull) {
            return ALLOWED;
        }
        // When both are full, the later end is the one that matters.
        boolean byAccount = accountFull && (!originFull || !account.end().isBefore(origin.end()));
        return byAccount
                ? new Decision.Refused(Scope.ACCOUNT, Duration.between(now, account.end()))
                : new Decision.Refused(Scope.ADDRESS, Duration.between(now, origin.end()));
    }

    /**
     * A gate for the mechanisms of one connection, closed for a user name whenever
     * {@link #check(String, InetAddress)} would refuse it.
     */
    public AccountGate gate(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return username -> check(username, address) instanceof Decision.Allowed;
    }

    /**
     * How long to wait before sending the failure response for the failure just recorded with
     * {@link #recordFailure}: nothing for the first failure in a window, then {@code baseDelay},
     * doubling with each further failure of the account or address (the larger count), up to
     * {@code maxDelay}. Schedule the response; never sleep on an event loop.
     */
    public synchronized Duration failureDelay(String username, InetAddress address) {
        Instant now = clock.instant();
        int failures = addresses.current(addressKey(address), now).failures();
        if (username != null) {
            failures = Math.max(failures, accounts.current(accountKey(username), now).failures());
        }
        if (failures <= 1) {
            return Duration.ZERO;
        }
        Duration delay = limits.baseDelay().multipliedBy(1L << Math.min(failures - 2, 30));
        return delay.compareTo(limits.maxDelay()) > 0 ? limits.maxDelay() : delay;
    }

    /** Counts a failed attempt against the account (if known) and the address. */
    public synchronized void recordFailure(String username, InetAddress address) {
        Instant now = clock.instant();
        if (username != null) {
            accounts.increment(accountKey(username), now, limits.window());
        }
        addresses.increment(addressKey(address), now, limits.window());
    }

    /**
     * Clears the account's failures after a successful login. The address keeps its count: one
     * good login from an address must not reset the count of an attacker guessing other accounts.
     */
    public synchronized void recordSuccess(String username, InetAddress address) {
        Objects.requireNonNull(address, "address");
        if (username != null) {
            accounts.clear(accountKey(username));
        }
    }

    /** How many accounts and addresses are remembered, for tests and metrics. */
    public synchronized int trackedKeys() {
        return accounts.size() + addresses.size();
    }

    /**
     * The table key for a user name. Long names are replaced by their SHA-256, so that an attacker
     * sending huge names fills the table with small keys only.
     */
    private static String accountKey(String username) {
        String lower = username.toLowerCase(Locale.ROOT);
        if (lower.length() <= MAX_PLAIN_KEY_LENGTH) {
            return lower;
        }
        return "sha256:" + HexFormat.of().formatHex(ScramHash.SHA_256.digest(lower.getBytes(StandardCharsets.UTF_8)));
    }

    private static String addressKey(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
        }
        return address.getHostAddress();
    }

    /** A count of failures in the window that ends at {@code end}. */
    private record Window(int failures, Instant end) {
        static final Window EMPTY = new Window(0, Instant.MIN);
    }

    /** Windows by key, in the order of their last failure, never more than {@code capacity}. */
    private static final class Table {
        private final int capacity;
        private final LinkedHashMap<String, Window> windows;

        Table(int capacity) {
            this.capacity = capacity;
            this.windows = new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                    return size() > Table.this.capacity;
                }
            };
        }

        Window current(String key, Instant now) {
            Window window = windows.get(key);
            if (window == null) {
                return Window.EMPTY;
            }
            if (!now.isBefore(window.end())) {
                windows.remove(key);
                return Window.EMPTY;
            }
            return window;
        }

        void increment(String key, Instant now, Duration length) {
            Window window = current(key, now);
            Window next = window.failures() == 0 ? new Window(1, now.plus(length))
                    : new Window(window.failures() + 1, window.end());
            windows.remove(key);
            windows.put(key, next);
            dropExpiredEldest(now);
        }

        void clear(String key) {
            windows.remove(key);
        }

        int size() {
            return windows.size();
        }

        /** Removes expired windows from the old end, so that a quiet server forgets past attacks. */
        private void dropExpiredEldest(Instant now) {
            Iterator<Window> it = windows.values().iterator();
            while (it.hasNext()) {
                if (now.isBefore(it.next().end())) {
                    return;
                }
                it.remove();
            }
        }
    }
}
