package im.tongyou.server.feature.mam;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Consecutive archived messages (XEP-0313) of one conversation in one user's archive, stored as one
 * row of {@code mam_bucket}: the row's key is the bucket's last order key, its columns say whose
 * archive and which conversation, and its {@code entries} hold each message's key, direction, the
 * other party's resource, its UID when it is not the derived one, and the stanza sealed under the
 * owner's data key.
 *
 * <p>Why: a row per message cost H2 about 230 µs of CPU with the two indexes the queries need (a
 * copy of each index page touched, an undo-log entry per index, and its rewrite at commit), which
 * held archived throughput to a fifth of the throughput without the archive (docs/benchmarks.md).
 * The archive's writer commits a batch at a time, and under load a batch holds several messages of
 * each conversation: one row and two index entries then stand for all of them.
 *
 * <p>A bucket never spans more than {@link #SPAN} of order keys, so the buckets that can hold a key
 * are those whose last key is between it and {@code SPAN} above it: queries and look-ups by UID
 * find them with a range of the indexes.
 */
record MamBucket(String owner, String withBare, List<Entry> entries) {

    /** The widest range of order keys in one bucket: one second. */
    static final long SPAN = MamIds.firstIdAt(1000);
    static final int MAX_ENTRIES = 256;
    static final int MAX_BYTES = 64 * 1024;
    private static final byte FORMAT = 1;
    private static final int OUTGOING = 1;
    private static final int OWN_UID = 2;

    /**
     * One archived message in a bucket.
     *
     * @param sid its UID when it is not {@link MamUids#of} its key (imported, or from before derived
     *            UIDs), else {@code null}
     */
    record Entry(long id, String withResource, String sid, boolean outgoing, byte[] sealed) {
    }

    MamBucket {
        entries = List.copyOf(entries);
    }

    /** The highest last key a bucket holding {@code key} can have. */
    static long plusSpan(long key) {
        return key > Long.MAX_VALUE - SPAN ? Long.MAX_VALUE : key + SPAN;
    }

    long firstId() {
        return entries.get(0).id();
    }

    long lastId() {
        return entries.get(entries.size() - 1).id();
    }

    /**
     * Groups rows into buckets: each owner's messages of one conversation, in key order, a new bucket
     * whenever the last is full ({@link #MAX_ENTRIES}, {@link #MAX_BYTES}) or would span more than
     * {@link #SPAN}. The buckets come in the order of their last keys.
     */
    static List<MamBucket> of(List<MamStore.Row> rows) {
        List<MamStore.Row> sorted = new ArrayList<>(rows);
        sorted.sort((a, b) -> Long.compare(a.id(), b.id()));
        Map<String, Open> open = new HashMap<>();
        List<MamBucket> closed = new ArrayList<>();
        for (MamStore.Row r : sorted) {
            String key = r.owner() + '\n' + r.withBare();
            Open bucket = open.get(key);
            if (bucket != null && bucket.full(r)) {
                closed.add(bucket.close());
                bucket = null;
            }
            if (bucket == null) {
                bucket = new Open(r.owner(), r.withBare());
                open.put(key, bucket);
            }
            bucket.add(r);
        }
        open.values().forEach(b -> closed.add(b.close()));
        closed.sort((a, b) -> Long.compare(a.lastId(), b.lastId()));
        return closed;
    }

    /** A bucket being filled. */
    private static final class Open {
        private final String owner;
        private final String withBare;
        private final List<Entry> entries = new ArrayList<>();
        private int bytes;

        Open(String owner, String withBare) {
            this.owner = owner;
            this.withBare = withBare;
        }

        boolean full(MamStore.Row next) {
            return entries.size() >= MAX_ENTRIES || bytes + next.sealed().length > MAX_BYTES
                    || next.id() - entries.get(0).id() > SPAN;
        }

        void add(MamStore.Row r) {
            entries.add(new Entry(r.id(), r.withResource(), r.sid(), r.outgoing(), r.sealed()));
            bytes += r.sealed().length;
        }

        MamBucket close() {
            return new MamBucket(owner, withBare, entries);
        }
    }

    /** Inserts buckets on a connection of a running transaction. */
    static void insert(Connection c, List<MamBucket> buckets) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mam_bucket"
                + " (last_id, first_id, owner, with_bare, messages, entries) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (MamBucket b : buckets) {
                ps.setLong(1, b.lastId());
                ps.setLong(2, b.firstId());
                ps.setString(3, b.owner());
                ps.setString(4, b.withBare());
                ps.setInt(5, b.entries().size());
                ps.setBytes(6, encode(b.entries()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The {@code entries} column of these entries. */
    static byte[] encode(List<Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + entries.size() * 400);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(entries.size());
            for (Entry e : entries) {
                out.writeLong(e.id());
                out.writeByte((e.outgoing() ? OUTGOING : 0) | (e.sid() != null ? OWN_UID : 0));
                out.writeUTF(e.withResource());
                if (e.sid() != null) {
                    out.writeUTF(e.sid());
                }
                out.writeInt(e.sealed().length);
                out.write(e.sealed());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by a stream in memory
        }
        return bytes.toByteArray();
    }

    /** The entries of an {@code entries} column, in key order. */
    static List<Entry> decode(byte[] column) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(column))) {
            if (in.readByte() != FORMAT) {
                throw new IllegalStateException("an archive bucket in an unknown format");
            }
            int n = in.readInt();
            List<Entry> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long id = in.readLong();
                int flags = in.readByte();
                String resource = in.readUTF();
                String sid = (flags & OWN_UID) != 0 ? in.readUTF() : null;
                byte[] sealed = new byte[in.readInt()];
                in.readFully(sealed);
                entries.add(new Entry(id, resource, sid, (flags & OUTGOING) != 0, sealed));
            }
            return entries;
        } catch (IOException e) {
            throw new IllegalStateException("a damaged archive bucket: " + e.getMessage(), e);
        }
    }
}
