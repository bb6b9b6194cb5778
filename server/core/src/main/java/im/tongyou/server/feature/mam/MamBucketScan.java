package im.tongyou.server.feature.mam;

import im.tongyou.server.storage.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/** Reads archive buckets ({@link MamBucket}) in the order of their last keys, from the indexes. */
final class MamBucketScan {

    /** Buckets read by one round of a page. */
    static final int PAGE_CHUNK = 64;

    /** A bucket as read: its keys, conversation and size, and its entries when they were asked for. */
    record Read(long lastId, long firstId, String withBare, int messages, byte[] entries) {
    }

    private final Jdbc jdbc;

    MamBucketScan(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Visits the buckets of the selection's archive (and conversation) whose last key is in
     * [from, to], in the order of those keys, {@code chunk} per round, while {@code visit} says go on.
     * A round reads the keys from the index alone, then the buckets by primary key: a plan that
     * cannot stray to scanning the primary key with a filter (PostgreSQL's choice for a bucket
     * query on skewed statistics), whatever the statistics say.
     */
    void each(MamStore.Selection s, long from, long to, boolean descending, int chunk, Predicate<Read> visit) {
        long low = from;
        long high = to;
        while (low <= high) {
            List<Object> params = new ArrayList<>();
            params.add(s.owner());
            if (s.withBare() != null) {
                params.add(s.withBare());
            }
            params.add(low);
            params.add(high);
            List<Long> keys = jdbc.query(keySql(s.withBare() != null, descending, chunk), rs -> rs.getLong(1),
                    params.toArray());
            for (Read b : byKeys(keys)) {
                if (!visit.test(b)) {
                    return;
                }
            }
            if (keys.size() < chunk) {
                return;
            }
            long edge = keys.get(keys.size() - 1);
            if (descending) {
                high = edge - 1;
            } else {
                low = edge + 1;
            }
        }
    }

    /**
     * The messages of the buckets wholly within [lo, hi], summed over at most {@code maxBuckets}
     * buckets (then at least that many messages) from the index alone, which holds each bucket's
     * first key and size.
     */
    long messagesWithin(MamStore.Selection s, long lo, long hi, int maxBuckets) {
        List<Object> params = new ArrayList<>(List.of(s.owner()));
        if (s.withBare() != null) {
            params.add(s.withBare());
        }
        params.addAll(List.of(lo, hi, lo));
        return jdbc.queryOne("SELECT COALESCE(SUM(messages), 0) FROM (SELECT messages FROM mam_bucket WHERE owner = ?"
                + (s.withBare() != null ? " AND with_bare = ?" : "") + " AND last_id >= ? AND last_id <= ? AND first_id >= ?"
                + " FETCH FIRST " + maxBuckets + " ROWS ONLY) capped", rs -> rs.getLong(1), params.toArray()).orElse(0L);
    }

    /** The buckets, with entries, that hold keys in [lo, hi] and keys outside it (at most a span from its edges). */
    List<Read> straddling(MamStore.Selection s, long lo, long hi) {
        String where = " FROM mam_bucket WHERE owner = ?" + (s.withBare() != null ? " AND with_bare = ?" : "");
        List<Object> params = new ArrayList<>(List.of(s.owner()));
        if (s.withBare() != null) {
            params.add(s.withBare());
        }
        Map<Long, Read> found = new java.util.TreeMap<>();
        List<Object> low = new ArrayList<>(params);
        low.addAll(List.of(lo, MamBucket.plusSpan(lo), lo));
        List<Object> high = new ArrayList<>(params);
        high.addAll(List.of(hi, MamBucket.plusSpan(hi), hi));
        String columns = "SELECT last_id, first_id, with_bare, messages, entries";
        jdbc.query(columns + where + " AND last_id >= ? AND last_id <= ? AND first_id < ?",
                rs -> found.put(rs.getLong(1), read(rs)), low.toArray());
        jdbc.query(columns + where + " AND last_id > ? AND last_id <= ? AND first_id <= ?",
                rs -> found.put(rs.getLong(1), read(rs)), high.toArray());
        return new ArrayList<>(found.values());
    }

    /** The buckets with these last keys, in the order of the keys. */
    private List<Read> byKeys(List<Long> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        Map<Long, Read> read = new HashMap<>();
        jdbc.query("SELECT last_id, first_id, with_bare, messages, entries FROM mam_bucket WHERE last_id IN ("
                + marks(keys.size()) + ")", rs -> read.put(rs.getLong(1), read(rs)),
                keys.toArray());
        return keys.stream().map(read::get).filter(Objects::nonNull).toList();
    }

    /**
     * The statement that reads bucket keys in order from an index. ORDER BY names the whole index
     * key (owner and with_bare are constants here): H2 then reads the index in order ("index
     * sorted") as PostgreSQL does, instead of sorting the archive.
     */
    static String keySql(boolean conversation, boolean descending, int chunk) {
        String direction = descending ? " DESC" : "";
        return "SELECT last_id FROM mam_bucket WHERE owner = ?" + (conversation ? " AND with_bare = ?" : "")
                + " AND last_id >= ? AND last_id <= ? ORDER BY owner" + direction
                + (conversation ? ", with_bare" + direction : "") + ", last_id" + direction
                + " FETCH FIRST " + chunk + " ROWS ONLY";
    }

    /** The key statement of a conversation's newest page, for EXPLAIN in tests and the benchmark. */
    static String conversationPageSql() {
        return keySql(true, true, PAGE_CHUNK);
    }

    /** {@code n} JDBC parameter marks for an IN list. */
    static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /** Maps a row of last_id, first_id, with_bare, messages, entries. */
    static Read read(ResultSet rs) throws SQLException {
        return new Read(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getBytes(5));
    }
}
