package im.tongyou.server.feature.blocking;

import im.tongyou.api.privacy.SubjectDataProvider;
import im.tongyou.server.storage.Jdbc;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The blocklists as a store of personal data: a user's own blocklist is exported and erased. Other
 * users' blocklists naming the user are their decisions and stay.
 */
final class BlockingSubjectData implements SubjectDataProvider {

    private final Jdbc jdbc;
    private final BlockingStore store;
    private final BlockList list;

    BlockingSubjectData(DataSource dataSource, BlockingStore store, BlockList list) {
        this.jdbc = new Jdbc(dataSource);
        this.store = store;
        this.list = list;
    }

    @Override
    public String name() {
        return "blocking";
    }

    @Override
    public String purpose() {
        return "Blocking (XEP-0191): the addresses the user blocks (core IM, contract).";
    }

    @Override
    public Set<String> tables() {
        return Set.of("blocking_item");
    }

    @Override
    public Map<String, Object> export(String username) {
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("blocked", store.list(username));
        return export;
    }

    @Override
    public void erase(String username) {
        jdbc.update("DELETE FROM blocking_item WHERE username = ?", username);
        list.invalidate(username);
    }
}
