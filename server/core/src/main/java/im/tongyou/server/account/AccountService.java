package im.tongyou.server.account;

import im.tongyou.api.AccountException;
import im.tongyou.api.AccountState;
import im.tongyou.api.Accounts;
import im.tongyou.server.privacy.SubjectDataRegistry;
import java.util.List;

/**
 * The accounts as plugins and administrators see them: the {@link AccountStore}, plus removal that
 * erases the account's data from every store of personal data before the account itself.
 */
public final class AccountService implements Accounts {

    private final AccountStore store;
    private final SubjectDataRegistry subjectData;

    public AccountService(AccountStore store, SubjectDataRegistry subjectData) {
        this.store = store;
        this.subjectData = subjectData;
    }

    @Override
    public boolean exists(String username) {
        return store.exists(username);
    }

    @Override
    public void create(String username, char[] password) throws AccountException {
        store.create(username, password);
    }

    @Override
    public void setPassword(String username, char[] password) throws AccountException {
        store.setPassword(username, password);
    }

    /**
     * Disables the account first (its sessions end and it cannot log in), then erases its data in
     * every store, the account's own rows last. A failed erasure leaves the account disabled and
     * can be run again.
     */
    @Override
    public boolean delete(String username) {
        String name;
        try {
            name = Usernames.prepare(username);
            store.setEnabled(name, false);
        } catch (AccountException e) {
            return false; // an invalid name, or no such account
        }
        subjectData.eraseAll(name);
        return true;
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
