package im.tongyou.server.feature.blocking;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xmpp.packet.JID;

/**
 * Whether a user blocks a JID, by the matching order of XEP-0191 §5 (full JID, bare JID,
 * domain/resource, domain), with the blocklists of recently seen users cached: every stanza a user
 * sends or receives asks.
 */
final class BlockList {

    private static final int CACHED_USERS = 10_000;

    private final BlockingStore store;
    private final Map<String, Set<String>> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > CACHED_USERS;
        }
    };

    /** Counts invalidations, so that a list loaded across a change is not cached. */
    private long changes;

    BlockList(BlockingStore store) {
        this.store = store;
    }

    /** Whether the user's blocklist matches the JID. */
    boolean blocks(String username, JID jid) {
        Set<String> blocked = blocked(username);
        if (blocked.isEmpty()) {
            return false;
        }
        return matches(blocked, jid);
    }

    /** XEP-0191 §5: user@domain/resource, user@domain, domain/resource, domain. */
    static boolean matches(Set<String> blocked, JID jid) {
        String domain = jid.getDomain();
        if (blocked.contains(domain) || blocked.contains(jid.toString()) || blocked.contains(jid.toBareJID())) {
            return true;
        }
        return jid.getResource() != null && blocked.contains(domain + "/" + jid.getResource());
    }

    /** Whether any of the patterns matches the JID. */
    static boolean matchesAny(List<String> patterns, JID jid) {
        return matches(Set.copyOf(patterns), jid);
    }

    Set<String> blocked(String username) {
        long seen;
        synchronized (cache) {
            Set<String> cached = cache.get(username);
            if (cached != null) {
                return cached;
            }
            seen = changes;
        }
        Set<String> loaded = Set.copyOf(store.list(username));
        synchronized (cache) {
            if (changes == seen) { // no blocklist changed while it loaded: safe to keep
                cache.put(username, loaded);
            }
        }
        return loaded;
    }

    /** Forgets the cached list after a change. */
    void invalidate(String username) {
        synchronized (cache) {
            changes++;
            cache.remove(username);
        }
    }
}
