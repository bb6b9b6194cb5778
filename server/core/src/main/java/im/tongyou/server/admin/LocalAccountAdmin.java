package im.tongyou.server.admin;

import im.tongyou.api.AccountException;
import im.tongyou.api.Accounts;
import im.tongyou.server.TongyouServer;
import im.tongyou.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Account tasks while the server is stopped, on a headless server (database and plugins, no
 * listeners), so that removing a user erases what every plugin stores.
 */
public final class LocalAccountAdmin implements AccountAdmin {

    private final TongyouServer server;
    private final Accounts accounts;

    public LocalAccountAdmin(ServerConfig config, Path configFile) {
        try {
            this.server = TongyouServer.startHeadless(config, configFile, Clock.systemUTC());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        this.accounts = server.accounts();
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
    public void export(String username, Path file) throws AccountException {
        boolean exported;
        try {
            exported = server.exportTo(username, file, im.tongyou.api.privacy.AuditLog.admin("bin/tongyou"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        if (!exported) {
            throw new AccountException(AccountException.Reason.NO_SUCH_ACCOUNT, "there is no such account");
        }
    }

    @Override
    public String importFile(Path file, char[] password) throws AccountException {
        return server.importFrom(file, password, im.tongyou.api.privacy.AuditLog.admin("bin/tongyou"));
    }

    @Override
    public String dataMap() {
        return server.dataMap().markdown();
    }

    @Override
    public void close() {
        server.close();
    }
}
