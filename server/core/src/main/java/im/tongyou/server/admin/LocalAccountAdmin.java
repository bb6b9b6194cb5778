package im.tongyou.server.admin;

import im.tongyou.api.AccountException;
import im.tongyou.server.account.AccountStore;
import im.tongyou.server.config.ServerConfig;
import im.tongyou.server.storage.Database;
import java.time.Clock;
import java.util.List;

/** Account tasks done on the database directly, while the server is stopped. */
public final class LocalAccountAdmin implements AccountAdmin {

    private final Database database;
    private final AccountStore accounts;

    public LocalAccountAdmin(ServerConfig config) {
        this.database = Database.open(config);
        this.accounts = new AccountStore(database.dataSource(), config.auth().scramIterations(), Clock.systemUTC());
    }

    @Override
    public void add(String username, char[] password) throws AccountException {
        accounts.create(username, password);
    }

    @Override
    public void remove(String username) throws AccountException {
        if (!accounts.delete(username)) {
            throw new AccountException(AccountException.Reason.NO_SUCH_ACCOUNT, "there is no such account");
        }
    }

    @Override
    public void passwd(String username, char[] password) throws AccountException {
        accounts.setPassword(username, password);
    }

    @Override
    public List<String> list() {
        return accounts.list(0, Integer.MAX_VALUE);
    }

    @Override
    public void close() {
        database.close();
    }
}
