package im.tongyou.server.feature.blocking;

import im.tongyou.api.privacy.SubjectDataProvider;
import im.tongyou.server.storage.Jdbc;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.xmpp.packet.JID;

/**
 * The blocklists as a store of personal data: a user's own blocklist is exported and erased. Other
 * users' blocklists naming the user are their decisions and stay, but name the tombstone instead
 * (privacy requirements decision 3, AC-13 (a)): the address is never given out again, so the block
 * keeps its meaning without keeping the address.
 */
final class BlockingSubjectData implements SubjectDataProvider {

    private final Jdbc jdbc;
    private final Clock clock;
    private final BlockingStore store;
    private final BlockList list;

    BlockingSubjectData(DataSource dataSource, BlockingStore store, BlockList list, Clock clock) {
        this.clock = clock;
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
    public void pseudonymise(String username, JID tombstone) {
        String bare = tombstone.getDomain() == null ? username : username + "@" + tombstone.getDomain();
        List<String> holders = jdbc.query("SELECT DISTINCT username FROM blocking_item WHERE (jid = ? OR jid LIKE ?) "
                + "AND username <> ?", rs -> rs.getString(1), bare, bare + "/%", username);
        for (String holder : holders) {
            List<String> named = store.list(holder).stream()
                    .filter(j -> j.equalsIgnoreCase(bare) || j.toLowerCase(Locale.ROOT).startsWith(bare.toLowerCase(Locale.ROOT) + "/"))
                    .toList();
            store.remove(holder, named);
            store.add(holder, List.of(tombstone.toBareJID()), clock.instant());
            list.invalidate(holder);
        }
    }

    @Override
    public void erase(String username) {
        jdbc.update("DELETE FROM blocking_item WHERE username = ?", username);
        list.invalidate(username);
    }
}
