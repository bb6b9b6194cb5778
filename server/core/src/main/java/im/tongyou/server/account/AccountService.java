package im.tongyou.server.account;

import im.tongyou.api.AccountException;
import im.tongyou.api.AccountState;
import im.tongyou.api.Accounts;
import im.tongyou.api.privacy.AuditLog;
import im.tongyou.server.auth.ScramCredentials;
import im.tongyou.server.auth.ScramHash;
import im.tongyou.server.auth.StoredCredentials;
import im.tongyou.server.privacy.Cancellations;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * The accounts as plugins and administrators see them: the {@link AccountStore}, with removal as a
 * cancellation ({@link Cancellations}: cancelled at once, erased from every store by a resumable
 * job, the name retired for good).
 */
public final class AccountService implements Accounts {

    private final AccountStore store;
    private final Cancellations cancellations;

    public AccountService(AccountStore store, Cancellations cancellations) {
        this.store = store;
        this.cancellations = cancellations;
    }

    @Override
    public boolean exists(String username) {
        return store.exists(username);
    }

    @Override
    public boolean nameAvailable(String username) {
        String name;
        try {
            name = Usernames.prepare(username);
        } catch (AccountException e) {
            return false;
        }
        return !store.exists(name) && !store.isRetired(cancellations.retiredNameHash(name));
    }

    /** Creates an account; a name a cancelled account had is refused as taken (AC-15). */
    @Override
    public void create(String username, char[] password) throws AccountException {
        String name = Usernames.prepare(username);
        if (store.isRetired(cancellations.retiredNameHash(name))) {
            throw new AccountException(AccountException.Reason.USERNAME_TAKEN, "the username is taken");
        }
        store.create(name, password);
    }

    @Override
    public void setPassword(String username, char[] password) throws AccountException {
        store.setPassword(username, password);
    }

    @Override
    public boolean checkPassword(String username, char[] password) {
        Optional<StoredCredentials> stored = store.credentials(username);
        if (stored.isEmpty() || stored.get().disabled() || password == null || password.length == 0) {
            return false;
        }
        ScramCredentials keys = stored.get().sha256();
        if (keys == null) {
            return false;
        }
        try {
            ScramCredentials given = ScramCredentials.derive(ScramHash.SHA_256, password, keys.salt(), keys.iterations());
            return MessageDigest.isEqual(given.storedKey(), keys.storedKey());
        } catch (IllegalArgumentException e) {
            return false; // not a password SASLprep accepts
        }
    }

    /** Cancels the account (see {@link Accounts#delete}); the audit trail names the system as the actor. */
    @Override
    public boolean delete(String username) {
        return cancel(username, AuditLog.SYSTEM);
    }

    /**
     * Cancels the account on behalf of an actor ({@link AuditLog#SELF}, {@link AuditLog#admin}):
     * the account is cancelled at once and erased now, or by the resumed job if a store fails.
     */
    @Override
    public boolean cancel(String username, String actor) {
        String name;
        try {
            name = Usernames.prepare(username);
        } catch (AccountException e) {
            return false;
        }
        return cancellations.cancel(name, actor);
    }

    @Override
    public void setEnabled(String username, boolean enabled) throws AccountException {
        store.setEnabled(username, enabled);
    }

    @Override
    public boolean isEnabled(String username) {
        return store.isEnabled(username);
    }

    @Override
    public AccountState state(String username) {
        return store.state(username);
    }

    @Override
    public void setState(String username, AccountState state) throws AccountException {
        if (state == AccountState.CANCELLED) {
            // Cancelling is more than a state: it starts the erasure.
            if (!cancel(username, AuditLog.SYSTEM)) {
                throw new AccountException(AccountException.Reason.NO_SUCH_ACCOUNT,
                        "there is no such account, or it is cancelled already");
            }
            return;
        }
        store.setState(username, state);
    }

    @Override
    public List<String> list(int offset, int limit) {
        return store.list(offset, limit);
    }

    @Override
    public long count() {
        return store.count();
    }
}
