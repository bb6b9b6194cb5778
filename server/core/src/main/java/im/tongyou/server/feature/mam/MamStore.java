package im.tongyou.server.feature.mam;

import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.feature.StoredXml;
import im.tongyou.server.storage.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * The archived messages of XEP-0313 in {@code mam_bucket} ({@link MamBucket}), each stanza
 * encrypted under its owner's data key. A page walks the buckets of the archive or of one
 * conversation from the indexes {@code (owner, with_bare, last_id)} and {@code (owner, last_id)},
 * in order of their last keys, and stops as soon as no bucket left can hold a key of the page:
 * the newest page of a conversation costs the same in an archive of any size. The only code that
 * touches the table; preferences are in {@link MamPrefsStore}.
 */
final class MamStore {

    private static final Logger log = LoggerFactory.getLogger(MamStore.class);
    private static final long SPAN = MamBucket.SPAN;
    /** Buckets read by one round of a page, and of a count. */
    private static final int PAGE_CHUNK = MamBucketScan.PAGE_CHUNK;
    private static final int COUNT_CHUNK = 1000;

    /**
     * A message to archive; {@code sid} is {@code null} for the UID derived from its key, and
     * {@code stanza} is its XML (sealed with its bucket), or in the migration the stanza as it was
     * sealed on its own before buckets.
     */
    record Row(long id, String owner, String withBare, String withResource, String sid, boolean outgoing,
               byte[] stanza) {
    }

    /**
     * An archived message as read back.
     *
     * @param message the stanza, or {@code null} when it can no longer be decrypted (key destroyed)
     */
    record Stored(long id, String sid, boolean outgoing, Message message) {
    }

    /**
     * What a query selects, before paging: one archive, optionally one conversation (a bare JID, or
     * a full JID when {@code withResource} is set), an inclusive key range, and optionally a list of keys.
     */
    record Selection(String owner, String withBare, String withResource, long minId, long maxId, List<Long> ids) {
        Selection {
            ids = ids == null ? null : List.copyOf(ids);
        }

        static Selection all(String owner) {
            return new Selection(owner, null, null, 0, Long.MAX_VALUE, null);
        }

        boolean matches(String bare, MamBucket.Entry e) {
            return (withBare == null || withBare.equals(bare))
                    && (withResource == null || withResource.equals(e.withResource()));
        }
    }

    /** An entry found (without its stanza), with the conversation and the column of its bucket. */
    private record Hit(String withBare, MamBucket.Entry entry, byte[] column) {
    }

    private final Jdbc jdbc;
    private final Crypto crypto;
    private final MamUids uids;
    private final MamBucketScan scan;
    private final MamSubjectStore subjects;
    private final MamPurges purges;

    MamStore(DataSource dataSource, Crypto crypto) {
        this.jdbc = new Jdbc(dataSource);
        this.scan = new MamBucketScan(jdbc);
        this.crypto = crypto;
        this.uids = new MamUids(crypto);
        this.subjects = new MamSubjectStore(jdbc, crypto, uids);
        this.purges = new MamPurges(jdbc, crypto);
    }

    /** The UIDs of this archive's messages. */
    MamUids uids() {
        return uids;
    }

    /** Inserts rows, a bucket per conversation, on a connection of a running transaction (the writer's). */
    void insert(Connection c, List<Row> rows) throws SQLException {
        insert(c, rows, crypto);
    }

    /** Inserts rows, a bucket per conversation, each sealed under its owner's key, in a running transaction. */
    static void insert(Connection c, List<Row> rows, Crypto crypto) throws SQLException {
        MamBucket.insert(c, MamBucket.of(rows), crypto);
        keepUids(c, rows);
    }

    /** Inserts rows whose stanzas were sealed one by one before buckets (the migration). */
    static void insertSealed(Connection c, List<Row> rows) throws SQLException {
        MamBucket.insertSealed(c, MamBucket.of(rows));
        keepUids(c, rows);
    }

    /** Keeps the UIDs that are not derived from keys, in {@code mam_uid}. */
    private static void keepUids(Connection c, List<Row> rows) throws SQLException {
        for (Row r : rows) {
            if (r.sid() != null) {
                Jdbc.update(c, "INSERT INTO mam_uid (owner, sid, id) VALUES (?, ?, ?)", r.owner(), r.sid(), r.id());
            }
        }
    }

    /** The highest key stored, or 0. */
    long maxId() {
        return jdbc.queryOne("SELECT MAX(last_id) FROM mam_bucket", rs -> rs.getLong(1)).orElse(0L);
    }

    /**
     * The keys of the given UIDs in the owner's archive; UIDs not there are missing from the map. A
     * UID of {@link MamUids} is decoded and its bucket read; another one (imported, or from before
     * derived UIDs) is looked up in {@code mam_uid}, which holds only those.
     */
    Map<String, Long> idsOf(String owner, Collection<String> sids) {
        Map<String, Long> found = new HashMap<>();
        Map<Long, String> decoded = new HashMap<>();
        Set<String> own = new HashSet<>();
        for (String sid : sids) {
            Long id = uids.idOf(sid);
            if (id != null) {
                decoded.put(id, sid);
            } else {
                own.add(sid);
            }
        }
        for (Hit h : byIds(owner, decoded.keySet()).values()) {
            String sid = decoded.get(h.entry().id());
            if (h.entry().sid() == null || h.entry().sid().equals(sid)) {
                found.put(sid, h.entry().id());
            }
        }
        List<String> kept = new ArrayList<>(own);
        for (int from = 0; from < kept.size(); from += 100) {
            List<String> chunk = kept.subList(from, Math.min(kept.size(), from + 100));
            List<Object> params = new ArrayList<>();
            params.add(owner);
            params.addAll(chunk);
            jdbc.query("SELECT sid, id FROM mam_uid WHERE owner = ? AND sid IN ("
                    + MamBucketScan.marks(chunk.size()) + ")",
                    rs -> found.put(rs.getString(1), rs.getLong(2)), params.toArray());
        }
        return found;
    }

    /** The owner's entries with these keys (those found), each read from the one bucket that can hold it. */
    private Map<Long, Hit> byIds(String owner, Collection<Long> keys) {
        Set<Long> ids = new HashSet<>(keys);
        Map<Long, Hit> found = new HashMap<>();
        Map<Long, List<MamBucket.Entry>> read = new HashMap<>();
        for (long id : ids) {
            if (found.containsKey(id)) {
                continue;
            }
            for (MamBucketScan.Read b : jdbc.query("SELECT last_id, first_id, with_bare, messages, entries FROM mam_bucket"
                    + " WHERE owner = ? AND last_id >= ? AND last_id <= ? AND first_id <= ?", MamBucketScan::read,
                    owner, id, MamBucket.plusSpan(id), id)) {
                for (MamBucket.Entry e : read.computeIfAbsent(b.lastId(), k -> MamBucket.decode(b.entries()))) {
                    if (ids.contains(e.id())) {
                        found.put(e.id(), new Hit(b.withBare(), e, b.entries()));
                    }
                }
            }
        }
        return found;
    }

    /**
     * One page, decrypted: the messages of the selection strictly between the cursors (each may be
     * {@code null}), newest first or oldest first, at most {@code limit}.
     */
    List<Stored> page(Selection s, Long afterId, Long beforeId, boolean newestFirst, int limit) {
        List<Hit> hits = hits(s, afterId, beforeId, newestFirst, limit);
        Set<Long> wanted = new HashSet<>();
        hits.forEach(h -> wanted.add(h.entry().id()));
        // Each bucket of the page is decrypted once, for all its messages on the page.
        Map<byte[], Map<Long, byte[]>> opened = new IdentityHashMap<>();
        List<Stored> page = new ArrayList<>(hits.size());
        for (Hit h : hits) {
            byte[] xml = opened.computeIfAbsent(h.column(), column -> open(s.owner(), column, wanted)).get(h.entry().id());
            page.add(stored(h.entry(), xml));
        }
        return page;
    }

    /** The stanzas of a column's wanted entries by key; none when they can no longer be decrypted. */
    private Map<Long, byte[]> open(String owner, byte[] column, Set<Long> wanted) {
        Map<Long, byte[]> stanzas = new HashMap<>();
        try {
            for (MamBucket.Entry e : MamBucket.open(column, owner, crypto, wanted::contains)) {
                if (e.stanza() != null) {
                    stanzas.put(e.id(), e.stanza());
                }
            }
        } catch (Crypto.KeyDestroyedException | IllegalArgumentException failure) {
            log.warn("archived messages of a bucket cannot be read any more: {}", failure.getMessage());
        }
        return stanzas;
    }

    private List<Hit> hits(Selection s, Long afterId, Long beforeId, boolean newestFirst, int limit) {
        long lo = Math.max(s.minId(), afterId == null ? Long.MIN_VALUE : afterId + 1);
        long hi = Math.min(s.maxId(), beforeId == null ? Long.MAX_VALUE : beforeId - 1);
        if (lo > hi || limit <= 0) {
            return List.of();
        }
        // The best first: the page is the first `limit` of them.
        Comparator<Long> order = newestFirst ? Comparator.reverseOrder() : Comparator.naturalOrder();
        TreeMap<Long, Hit> kept = new TreeMap<>(order);
        if (s.ids() != null) {
            byIds(s.owner(), s.ids()).forEach((id, h) -> {
                if (id >= lo && id <= hi && s.matches(h.withBare(), h.entry())) {
                    kept.put(id, h);
                }
            });
            return kept.values().stream().limit(limit).toList();
        }
        scan.each(s, lo, MamBucket.plusSpan(hi), newestFirst, PAGE_CHUNK, b -> {
            // The buckets still to read end at or beyond this one's last key (before it, newest first),
            // so they start at most SPAN before it: when every key kept is beyond that, the page is done.
            if (kept.size() == limit && (newestFirst ? kept.lastKey() > b.lastId() : kept.lastKey() < b.lastId() - SPAN)) {
                return false;
            }
            if (b.firstId() <= hi) {
                for (MamBucket.Entry e : MamBucket.decode(b.entries())) {
                    if (e.id() >= lo && e.id() <= hi && s.matches(b.withBare(), e)) {
                        kept.put(e.id(), new Hit(b.withBare(), e, b.entries()));
                        if (kept.size() > limit) {
                            kept.pollLastEntry();
                        }
                    }
                }
            }
            return true;
        });
        return new ArrayList<>(kept.values());
    }

    /**
     * How many messages the selection has before {@code beforeId} (all when {@code null}), counting
     * until {@code cap} is passed: a result above {@code cap} means "more than cap". The buckets
     * wholly in the range count by their sizes, summed from the index; only the buckets across its
     * edges (within a span of them), or a filter on a resource, need their entries.
     */
    long countUpTo(Selection s, Long beforeId, int cap) {
        long lo = s.minId();
        long hi = Math.min(s.maxId(), beforeId == null ? Long.MAX_VALUE : beforeId - 1);
        if (s.ids() != null) {
            return Math.min(cap + 1, hits(s, null, beforeId, false, Integer.MAX_VALUE).size());
        }
        long[] n = {0};
        if (lo > hi) {
            return 0;
        }
        if (s.withResource() != null) {
            scan.each(s, lo, MamBucket.plusSpan(hi), true, COUNT_CHUNK, b -> {
                if (b.firstId() <= hi) {
                    n[0] += matching(s, b, lo, hi);
                }
                return n[0] <= cap;
            });
        } else {
            n[0] = scan.messagesWithin(s, lo, hi, cap + 1);
            for (MamBucketScan.Read b : scan.straddling(s, lo, hi)) {
                n[0] += matching(s, b, lo, hi);
            }
        }
        return Math.min(n[0], cap + 1L);
    }

    private static int matching(Selection s, MamBucketScan.Read b, long lo, long hi) {
        int n = 0;
        for (MamBucket.Entry e : MamBucket.decode(b.entries())) {
            if (e.id() >= lo && e.id() <= hi && s.matches(b.withBare(), e)) {
                n++;
            }
        }
        return n;
    }

    /** The oldest or newest message of an archive (key and UID), for the metadata query. */
    Stored edge(String owner, boolean newest) {
        List<Hit> one = hits(Selection.all(owner), null, null, newest, 1);
        return one.isEmpty() ? null : new Stored(one.get(0).entry().id(), sidOf(one.get(0).entry()),
                one.get(0).entry().outgoing(), null);
    }

    /** The oldest message of all archives (key only), or {@code null}: retention reports its age. */
    Stored oldest() {
        Long lowestLast = jdbc.queryOne("SELECT MIN(last_id) FROM mam_bucket", rs -> {
            long v = rs.getLong(1);
            return rs.wasNull() ? null : v;
        }).orElse(null);
        if (lowestLast == null) {
            return null;
        }
        long first = jdbc.queryOne("SELECT MIN(first_id) FROM mam_bucket WHERE last_id <= ?", rs -> rs.getLong(1),
                MamBucket.plusSpan(lowestLast)).orElseThrow();
        return new Stored(first, null, false, null);
    }

    /** The owner's whole archive in order, a page at a time (export). */
    List<Stored> after(String owner, long afterId, int limit) {
        return page(Selection.all(owner), afterId, null, false, limit);
    }

    /** An entry as read back: its stanza parsed, or {@code null} when it could not be decrypted. */
    private Stored stored(MamBucket.Entry e, byte[] xml) {
        Message message = null;
        if (xml != null) {
            try {
                message = new Message(StoredXml.parse(xml), true);
            } catch (IllegalArgumentException failure) {
                log.warn("archived message {} cannot be read: {}", e.id(), failure.getMessage());
            }
        }
        return new Stored(e.id(), sidOf(e), e.outgoing(), message);
    }

    private String sidOf(MamBucket.Entry e) {
        return e.sid() != null ? e.sid() : uids.of(e.id());
    }

    /** The messages of the buckets the WHERE clause selects. */
    static long sum(Connection c, String where, Object... params) throws SQLException {
        return Jdbc.query(c, "SELECT COALESCE(SUM(messages), 0) FROM mam_bucket " + where, rs -> rs.getLong(1),
                params).get(0);
    }

    /** What the archive does for the rights of a data subject: import, re-addressing, erasure. */
    MamSubjectStore subjects() {
        return subjects;
    }

    /** Retention's deletions. */
    MamPurges purges() {
        return purges;
    }
}
