package im.tongyou.server.account;

import im.tongyou.api.privacy.SubjectDataProvider;
import im.tongyou.server.storage.Jdbc;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The account tables as a store of personal data: the export tells when the account was made and
 * that a password is set (never the SCRAM keys); erasure deletes the rows (the keys go with them).
 */
public final class AccountSubjectData implements SubjectDataProvider {

    private final Jdbc jdbc;
    private final AccountStore store;

    public AccountSubjectData(DataSource dataSource, AccountStore store) {
        this.jdbc = new Jdbc(dataSource);
        this.store = store;
    }

    @Override
    public String name() {
        return "account";
    }

    @Override
    public Set<String> retentionCategories() {
        return Set.of("account");
    }

    @Override
    public String purpose() {
        return "Log in: the account name and its SCRAM password verifiers (core IM, contract).";
    }

    @Override
    public Set<String> tables() {
        return Set.of("account", "account_scram");
    }

    @Override
    public Map<String, Object> export(String username) {
        Map<String, Object> account = new LinkedHashMap<>();
        jdbc.queryOne("SELECT username, created_at, enabled FROM account WHERE username = ?", rs -> {
            account.put("username", rs.getString(1));
            account.put("createdAt", rs.getObject(2, java.time.OffsetDateTime.class).toInstant().toString());
            account.put("enabled", rs.getBoolean(3));
            return account;
        }, username);
        account.put("passwordSet", !jdbc.query("SELECT 1 FROM account_scram WHERE username = ?", rs -> 1, username).isEmpty());
        return account;
    }

    @Override
    public void erase(String username) {
        store.delete(username);
    }
}
