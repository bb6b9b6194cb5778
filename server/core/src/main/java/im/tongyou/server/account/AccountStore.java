package im.tongyou.server.account;

import im.tongyou.api.AccountException;
import im.tongyou.api.AccountState;
import im.tongyou.api.Accounts;
import im.tongyou.server.auth.ScramCredentials;
import im.tongyou.server.auth.ScramHash;
import im.tongyou.server.auth.StoredCredentials;
import im.tongyou.server.storage.Jdbc;
import im.tongyou.server.storage.RowCache;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The only code that touches the {@code account} tables: accounts and their SCRAM keys
 * (RFC 5802 §3; no password is ever stored).
 */
public final class AccountStore implements Accounts {

    /** The shortest password accepted. */
    public static final int MIN_PASSWORD_LENGTH = 6;

    private final Jdbc jdbc;
    private final int iterations;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final List<Consumer<String>> disabledListeners = new CopyOnWriteArrayList<>();
    /**
     * Accounts as logins read them (RFC 5802 §5.1: the server looks the user up at each
     * authentication), so that a login costs no database read; every write below invalidates the
     * name it changed once committed.
     */
    private final RowCache<Cached> cache;

    public AccountStore(DataSource dataSource, int iterations, Clock clock) {
        this(dataSource, iterations, clock, CACHE_ENTRIES, CACHE_TTL_NANOS, System::nanoTime);
    }

    AccountStore(DataSource dataSource, int iterations, Clock clock, int cacheEntries, long cacheTtlNanos,
                 java.util.function.LongSupplier nanoTime) {
        this.jdbc = new Jdbc(dataSource);
        this.iterations = iterations;
        this.clock = clock;
        this.cache = new RowCache<>(cacheEntries, cacheTtlNanos, nanoTime);
    }

    /** Accounts kept in memory for logins (well under 1 KB each: two sets of SCRAM keys and the state). */
    static final int CACHE_ENTRIES = 100_000;
    /** How long a cached account is trusted without a write of this process invalidating it. */
    static final long CACHE_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    /**
     * One account as the store last read it.
     *
     * @param state       the account's stage, or {@code null} when there is no such account
     * @param enabled     whether logins are allowed
     * @param credentials the SCRAM keys, or {@code null} when there is no such account
     */
    record Cached(AccountState state, boolean enabled, StoredCredentials credentials) {

        static final Cached NONE = new Cached(null, false, null);

        boolean exists() {
            return state != null;
        }
    }

    /**
     * The account's state, enabled flag and SCRAM keys in one read (cached): what every login asks.
     * The key is the name as given, as each query below used it.
     */
    private Cached entry(String username) {
        return cache.get(username, this::load);
    }

    private Cached load(String username) {
        Cached[] found = {null};
        Map<ScramHash, ScramCredentials> keys = new EnumMap<>(ScramHash.class);
        jdbc.query("SELECT a.state, a.enabled, s.hash, s.salt, s.iterations, s.stored_key, s.server_key FROM account a "
                + "LEFT JOIN account_scram s ON s.username = a.username WHERE a.username = ?", rs -> {
                    if (found[0] == null) {
                        found[0] = new Cached(AccountState.valueOf(rs.getString(1)), rs.getBoolean(2), null);
                    }
                    String hash = rs.getString(3);
                    if (hash != null) {
                        ScramCredentials k = new ScramCredentials(ScramHash.valueOf(hash), rs.getBytes(4), rs.getInt(5),
                                rs.getBytes(6), rs.getBytes(7));
                        keys.put(k.hash(), k);
                    }
                    return null;
                }, username);
        if (found[0] == null) {
            return Cached.NONE;
        }
        Cached e = found[0];
        return new Cached(e.state(), e.enabled(),
                new StoredCredentials(keys.get(ScramHash.SHA_1), keys.get(ScramHash.SHA_256), !e.enabled()));
    }

    /**
     * Registers code to run after an account is deleted or disabled (for example closing its
     * sessions); it gets the username.
     */
    public void onDisabledOrDeleted(Consumer<String> listener) {
        disabledListeners.add(listener);
    }

    @Override
    public boolean exists(String username) {
        return entry(username).exists();
    }

    @Override
    public void create(String username, char[] password) throws AccountException {
        String name = Usernames.prepare(username);
        checkPassword(password);
        List<ScramCredentials> keys = derive(password);
        boolean created;
        try {
            created = jdbc.inTransaction(c -> {
                if (!Jdbc.query(c, "SELECT 1 FROM account WHERE username = ?", rs -> 1, name).isEmpty()) {
                    return false;
                }
                Jdbc.update(c, "INSERT INTO account (username, created_at, enabled) VALUES (?, ?, TRUE)",
                        name, clock.instant());
                insertKeys(c, name, keys);
                return true;
            });
        } finally {
            cache.invalidate(name);
        }
        if (!created) {
            throw new AccountException(AccountException.Reason.USERNAME_TAKEN, "the username is taken");
        }
    }

    @Override
    public void setPassword(String username, char[] password) throws AccountException {
        String name = Usernames.prepare(username);
        checkPassword(password);
        List<ScramCredentials> keys = derive(password);
        boolean found;
        try {
            found = jdbc.inTransaction(c -> {
                if (Jdbc.query(c, "SELECT 1 FROM account WHERE username = ?", rs -> 1, name).isEmpty()) {
                    return false;
                }
                Jdbc.update(c, "DELETE FROM account_scram WHERE username = ?", name);
                insertKeys(c, name, keys);
                return true;
            });
        } finally {
            cache.invalidate(name);
        }
        if (!found) {
            throw noSuchAccount();
        }
    }

    @Override
    public boolean delete(String username) {
        String name;
        try {
            name = Usernames.prepare(username);
        } catch (AccountException e) {
            return false;
        }
        boolean deleted;
        try {
            deleted = jdbc.update("DELETE FROM account WHERE username = ?", name) > 0;
        } finally {
            cache.invalidate(name);
        }
        if (deleted) {
            disabledListeners.forEach(l -> l.accept(name));
        }
        return deleted;
    }

    /** Whether the account exists and is not cancelled: one that messages can still reach. */
    public boolean isLive(String username) {
        Cached e = entry(username);
        return e.exists() && e.state() != AccountState.CANCELLED;
    }

    /** Records a name (by its keyed hash) as never to be given out again; idempotent. */
    public void retire(byte[] nameHash) {
        jdbc.inTransaction(c -> {
            if (Jdbc.query(c, "SELECT 1 FROM account_retired WHERE name_hash = ?", rs -> 1, (Object) nameHash).isEmpty()) {
                Jdbc.update(c, "INSERT INTO account_retired (name_hash, retired_at) VALUES (?, ?)", nameHash,
                        clock.instant());
            }
            return null;
        });
    }

    /** Whether a name (by its keyed hash) belonged to a cancelled account. */
    public boolean isRetired(byte[] nameHash) {
        return jdbc.queryOne("SELECT 1 FROM account_retired WHERE name_hash = ?", rs -> 1, (Object) nameHash).isPresent();
    }

    /** When the oldest account was made, for the retention report. */
    public Optional<java.time.Instant> oldestCreated() {
        return jdbc.queryOne("SELECT MIN(created_at) FROM account", rs -> rs.getObject(1, java.time.OffsetDateTime.class))
                .map(java.time.OffsetDateTime::toInstant);
    }

    @Override
    public void setEnabled(String username, boolean enabled) throws AccountException {
        String name = Usernames.prepare(username);
        int changed;
        try {
            changed = jdbc.update("UPDATE account SET enabled = ? WHERE username = ?", enabled, name);
        } finally {
            cache.invalidate(name);
        }
        if (changed == 0) {
            throw noSuchAccount();
        }
        if (!enabled) {
            disabledListeners.forEach(l -> l.accept(name));
        }
    }

    @Override
    public boolean isEnabled(String username) {
        return entry(username).enabled();
    }

    /** The account's life stage, or {@code null} when there is no such account. */
    public AccountState state(String username) {
        return entry(username).state();
    }

    /**
     * Moves the account to another stage; a cancelled account stays cancelled, and cancelling ends
     * its sessions (the disabled-or-deleted listeners run).
     */
    public void setState(String username, AccountState state) throws AccountException {
        String name = Usernames.prepare(username);
        int changed;
        try {
            changed = jdbc.update("UPDATE account SET state = ? WHERE username = ? AND state <> 'CANCELLED'",
                    state.name(), name);
        } finally {
            cache.invalidate(name);
        }
        if (changed == 0) {
            throw exists(name) ? new AccountException(AccountException.Reason.NO_SUCH_ACCOUNT,
                    "the account is cancelled") : noSuchAccount();
        }
        if (state == AccountState.CANCELLED) {
            disabledListeners.forEach(l -> l.accept(name));
        }
    }

    @Override
    public List<String> list(int offset, int limit) {
        return jdbc.query("SELECT username FROM account ORDER BY username OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                rs -> rs.getString(1), Math.max(0, offset), Math.max(0, limit));
    }

    @Override
    public long count() {
        return jdbc.queryOne("SELECT COUNT(*) FROM account", rs -> rs.getLong(1)).orElse(0L);
    }

    /**
     * The account's SCRAM keys and state, for authentication ({@link im.tongyou.server.auth.CredentialLookup});
     * empty when there is no such account.
     */
    public Optional<StoredCredentials> credentials(String username) {
        String name;
        try {
            name = Usernames.prepare(username);
        } catch (AccountException e) {
            return Optional.empty();
        }
        Cached e = entry(name);
        if (!e.exists() || e.state() == AccountState.CANCELLED) {
            return Optional.empty();
        }
        return Optional.of(e.credentials());
    }

    private List<ScramCredentials> derive(char[] password) {
        List<ScramCredentials> keys = new ArrayList<>();
        for (ScramHash hash : ScramHash.values()) {
            byte[] salt = ScramCredentials.newSalt(random);
            keys.add(ScramCredentials.derive(hash, password, salt, iterations));
        }
        return keys;
    }

    private static void insertKeys(Connection c, String name, List<ScramCredentials> keys) throws java.sql.SQLException {
        for (ScramCredentials k : keys) {
            Jdbc.update(c, "INSERT INTO account_scram (username, hash, salt, iterations, stored_key, server_key) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", name, k.hash().name(), k.salt(), k.iterations(), k.storedKey(),
                    k.serverKey());
        }
    }

    private static void checkPassword(char[] password) throws AccountException {
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            throw new AccountException(AccountException.Reason.WEAK_PASSWORD,
                    "the password must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        boolean blank = true;
        for (char ch : password) {
            blank &= Character.isWhitespace(ch);
        }
        if (blank) {
            throw new AccountException(AccountException.Reason.WEAK_PASSWORD, "the password is blank");
        }
    }

    private static AccountException noSuchAccount() {
        return new AccountException(AccountException.Reason.NO_SUCH_ACCOUNT, "there is no such account");
    }
}
