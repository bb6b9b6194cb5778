package im.tongyou.consent;

import im.tongyou.api.AccountException;
import im.tongyou.api.AccountState;
import im.tongyou.api.Accounts;
import im.tongyou.api.registration.Registrations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life stages of children's accounts (R-CHD-1, R-CHD-2, R-CHD-11; {@code xeps/tongyou-consent.md}
 * §5): a birthday under 14 at registration puts the account in {@link AccountState#PENDING_GUARDIAN};
 * an account left pending too long is deleted; at 14 it becomes an adult's account and the guardian's
 * number is deleted. The accounts pending now are also kept in memory, for the gate on every stanza.
 */
final class Minors {

    private static final Logger log = LoggerFactory.getLogger(Minors.class);
    /** Ages are counted in Beijing time, where the users are. */
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final int CHILD_AGE = 14;
    static final int ADULT_AGE = 18;

    private final Accounts accounts;
    private final Registrations registrations;
    private final MinorStore store;
    private final Clock clock;
    private final Duration pendingFor;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    Minors(Accounts accounts, Registrations registrations, MinorStore store, Clock clock, Duration pendingFor) {
        this.accounts = accounts;
        this.registrations = registrations;
        this.store = store;
        this.clock = clock;
        this.pendingFor = pendingFor;
    }

    /** Reads the accounts waiting for a guardian. */
    void load() {
        pending.clear();
        pending.addAll(store.pending());
    }

    /** Whether the account waits for a guardian: nothing but the consent flow is allowed (R-CHD-2). */
    boolean isPending(String username) {
        return username != null && pending.contains(username);
    }

    /** The user's age in years, when registration recorded a birthday. */
    Optional<Integer> age(String username) {
        return registrations.birthday(username).map(b -> Period.between(b, LocalDate.now(clock.withZone(ZONE))).getYears());
    }

    /** Whether the user is a minor (under 18, 未成年人网络保护条例) or a child's account. */
    boolean isMinor(String username) {
        AccountState stage = accounts.state(username);
        if (stage == AccountState.PENDING_GUARDIAN || stage == AccountState.ACTIVE_MINOR) {
            return true;
        }
        return age(username).map(a -> a < ADULT_AGE).orElse(false);
    }

    /** A new account: under 14, it waits for a guardian (R-CHD-1, R-CHD-2). */
    void onRegistered(String username) {
        if (age(username).map(a -> a < CHILD_AGE).orElse(false)) {
            makePending(username);
        }
    }

    /**
     * At each login: the stage in memory follows the account's, an account that should have been
     * made pending (registered while the consent plugin was off, or whose corrected birthday is under
     * 14) is, a pending account whose corrected birthday is 14 or more is released, and a child who
     * turned 14 is not a child any more.
     */
    void onLogin(String username) {
        AccountState stage = accounts.state(username);
        if (stage == AccountState.PENDING_GUARDIAN && age(username).map(a -> a >= CHILD_AGE).orElse(false)) {
            release(username); // staff corrected the birthday (xeps/tongyou-rights.md §3.5): not a child's account
            stage = accounts.state(username);
        }
        if (stage == AccountState.PENDING_GUARDIAN) {
            store.insertPending(username, clock.instant());
            pending.add(username);
            return;
        }
        pending.remove(username);
        if (stage == AccountState.ACTIVE && !store.exists(username)) {
            onRegistered(username);
        } else if (stage == AccountState.ACTIVE_MINOR) {
            grownUp(username);
        }
    }

    private void makePending(String username) {
        try {
            store.insertPending(username, clock.instant());
            accounts.setState(username, AccountState.PENDING_GUARDIAN);
            pending.add(username);
            log.info("account {} is a child's: it waits for a guardian's consent", username);
        } catch (AccountException e) {
            log.warn("account {} could not wait for a guardian: {}", username, e.getMessage());
        }
    }

    private void release(String username) {
        try {
            accounts.setState(username, AccountState.ACTIVE);
            store.delete(username);
            pending.remove(username);
            log.info("account {} waited for a guardian, but its corrected birthday is 14 or more", username);
        } catch (AccountException e) {
            log.warn("account {} could not leave the guardian wait: {}", username, e.getMessage());
        }
    }

    /** A guardian consented: the child uses the service as a minor (AC-07). */
    void guardianConsented(String username, String relationship) throws AccountException {
        store.consented(username, relationship, clock.instant());
        if (accounts.state(username) == AccountState.PENDING_GUARDIAN) {
            accounts.setState(username, AccountState.ACTIVE_MINOR);
        }
        pending.remove(username);
    }

    /** When the account will be deleted unless a guardian consents. */
    Optional<Instant> deadline(String username) {
        return store.find(username).filter(m -> m.consentedAt() == null).map(m -> m.pendingSince().plus(pendingFor));
    }

    /** Deletes the accounts that waited for a guardian too long (R-CHD-2); returns how many. */
    int expirePending() {
        int deleted = 0;
        for (String username : store.pendingBefore(clock.instant().minus(pendingFor))) {
            if (accounts.state(username) == AccountState.PENDING_GUARDIAN && accounts.delete(username)) {
                deleted++;
                log.info("account {} waited for a guardian's consent too long and was deleted", username);
            } else {
                store.delete(username);
            }
            pending.remove(username);
        }
        return deleted;
    }

    /** Children who turned 14: adults' accounts, the guardian's number deleted (R-CHD-11). */
    int birthdays() {
        int grown = 0;
        for (String username : store.consented()) {
            grown += grownUp(username) ? 1 : 0;
        }
        return grown;
    }

    private boolean grownUp(String username) {
        if (age(username).map(a -> a >= CHILD_AGE).orElse(false)) {
            try {
                if (accounts.state(username) == AccountState.ACTIVE_MINOR) {
                    accounts.setState(username, AccountState.ACTIVE);
                }
                store.delete(username);
                log.info("account {} turned 14: the guardian's number was deleted", username);
                return true;
            } catch (AccountException e) {
                log.warn("account {} turned 14 but its stage could not change: {}", username, e.getMessage());
            }
        }
        return false;
    }

    /** Forgets an erased account. */
    void forget(String username) {
        pending.remove(username);
    }
}
