package im.tongyou.server.feature.mam;

import im.tongyou.api.privacy.Crypto;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Consecutive archived messages (XEP-0313) of one conversation in one user's archive, stored as one
 * row of {@code mam_bucket}: the row's key is the bucket's last order key, its columns say whose
 * archive and which conversation, and its {@code entries} hold each message's key, direction, the
 * other party's resource and its UID when it is not the derived one, then the bucket's stanzas sealed
 * together under the owner's data key.
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
    /** The column format of the migration: each stanza sealed on its own, inside its entry. */
    private static final byte SEALED_APART = 1;
    /** The column format of the writer: the entries, then all their stanzas sealed together. */
    private static final byte SEALED_TOGETHER = 2;
    private static final int OUTGOING = 1;
    private static final int OWN_UID = 2;

    /**
     * One archived message in a bucket.
     *
     * @param sid    its UID when it is not {@link MamUids#of} its key (imported, or from before derived
     *               UIDs), else {@code null}
     * @param stanza the stanza as plain XML when written or opened ({@link #open}); {@code null} when
     *               only the entries were read ({@link #decode}); in the migration, the stanza as it
     *               was sealed on its own before buckets
     */
    record Entry(long id, String withResource, String sid, boolean outgoing, byte[] stanza) {
        Entry with(byte[] other) {
            return new Entry(id, withResource, sid, outgoing, other);
        }
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
        List<MamStore.Row> sorted = rows;
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).id() < rows.get(i - 1).id()) { // the writer's rows come sorted already
                sorted = new ArrayList<>(rows);
                sorted.sort((a, b) -> Long.compare(a.id(), b.id()));
                break;
            }
        }
        record Conversation(String owner, String withBare) {
        }
        Map<Conversation, Open> open = new HashMap<>();
        List<MamBucket> closed = new ArrayList<>();
        for (MamStore.Row r : sorted) {
            Conversation key = new Conversation(r.owner(), r.withBare());
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
            return entries.size() >= MAX_ENTRIES || bytes + next.stanza().length > MAX_BYTES
                    || next.id() - entries.get(0).id() > SPAN;
        }

        void add(MamStore.Row r) {
            entries.add(new Entry(r.id(), r.withResource(), r.sid(), r.outgoing(), r.stanza()));
            bytes += r.stanza().length;
        }

        MamBucket close() {
            return new MamBucket(owner, withBare, entries);
        }
    }

    /**
     * Inserts buckets on a connection of a running transaction, each bucket's stanzas sealed together
     * under its owner's data key ({@link #seal}).
     */
    static void insert(Connection c, List<MamBucket> buckets, Crypto crypto) throws SQLException {
        insert(c, buckets, b -> {
            try {
                return seal(b.owner(), b.entries(), crypto);
            } catch (IllegalStateException unsealable) {
                // The owner's key is destroyed (an erased account) or cannot be made: the rows' own
                // fault, which the writer drops rather than retrying them for ever (SQL state 22, data).
                throw new SQLException("cannot seal the archive of " + b.owner() + ": " + unsealable.getMessage(),
                        "22000", unsealable);
            }
        });
    }

    /** Inserts buckets whose entries hold stanzas sealed one by one before buckets existed (the migration). */
    static void insertSealed(Connection c, List<MamBucket> buckets) throws SQLException {
        insert(c, buckets, b -> encodeSealed(b.entries()));
    }

    /** The {@code entries} column of a bucket. */
    private interface ColumnWriter {
        byte[] column(MamBucket bucket) throws SQLException;
    }

    private static void insert(Connection c, List<MamBucket> buckets, ColumnWriter column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mam_bucket"
                + " (last_id, first_id, owner, with_bare, messages, entries) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (MamBucket b : buckets) {
                ps.setLong(1, b.lastId());
                ps.setLong(2, b.firstId());
                ps.setString(3, b.owner());
                ps.setString(4, b.withBare());
                ps.setInt(5, b.entries().size());
                ps.setBytes(6, column.column(b));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The {@code entries} column of these entries, whose stanzas are plain XML: every entry's key,
     * flags, resource, UID and stanza length, then all the stanzas in one ciphertext under the
     * owner's data key ({@link #SEALED_TOGETHER}). One AES-GCM operation (a nonce, a key set-up, a
     * tag) per bucket instead of one per message: sealing each message apart cost the archive a
     * fifth of its CPU (JFR, docs/benchmarks.md "Archive").
     */
    static byte[] seal(String owner, List<Entry> entries, Crypto crypto) {
        int[] lengths = new int[entries.size()];
        int total = 0;
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = entries.get(i).stanza().length;
            total += lengths[i];
        }
        byte[] plain = new byte[total];
        int at = 0;
        for (Entry e : entries) {
            System.arraycopy(e.stanza(), 0, plain, at, e.stanza().length);
            at += e.stanza().length;
        }
        return sealedTogether(entries, lengths, crypto.encrypt(owner, plain));
    }

    /** A column of format {@link #SEALED_TOGETHER}: the entries, their stanzas' lengths, the sealed stanzas. */
    private static byte[] sealedTogether(List<Entry> entries, int[] lengths, byte[] sealed) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + entries.size() * 32 + sealed.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(SEALED_TOGETHER);
            out.writeInt(entries.size());
            for (int i = 0; i < lengths.length; i++) {
                writeHead(out, entries.get(i));
                out.writeInt(lengths[i]);
            }
            out.writeInt(sealed.length);
            out.write(sealed);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by a stream in memory
        }
        return bytes.toByteArray();
    }

    /** The column of format {@link #SEALED_APART}: each entry's stanza is the one it was sealed as. */
    static byte[] encodeSealed(List<Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + entries.size() * 400);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(SEALED_APART);
            out.writeInt(entries.size());
            for (Entry e : entries) {
                writeHead(out, e);
                out.writeInt(e.stanza().length);
                out.write(e.stanza());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by a stream in memory
        }
        return bytes.toByteArray();
    }

    private static void writeHead(DataOutputStream out, Entry e) throws IOException {
        out.writeLong(e.id());
        out.writeByte((e.outgoing() ? OUTGOING : 0) | (e.sid() != null ? OWN_UID : 0));
        out.writeUTF(e.withResource());
        if (e.sid() != null) {
            out.writeUTF(e.sid());
        }
    }

    /** The entries of an {@code entries} column in key order, without their stanzas (each {@code null}). */
    static List<Entry> decode(byte[] column) {
        Parsed p = parse(column);
        if (p.sealed() != null) {
            return p.entries(); // in format SEALED_TOGETHER the entries hold no stanza
        }
        List<Entry> heads = new ArrayList<>(p.entries().size());
        for (Entry e : p.entries()) {
            heads.add(e.with(null));
        }
        return heads;
    }

    /**
     * The entries of an {@code entries} column in key order, with the stanzas of those whose key is
     * {@code wanted} as plain XML (the others' {@code null}).
     *
     * @throws Crypto.KeyDestroyedException when the owner's data key was destroyed
     * @throws IllegalArgumentException     when the stanzas do not decrypt (damaged, or not the owner's)
     */
    static List<Entry> open(byte[] column, String owner, Crypto crypto, LongPredicate wanted)
            throws Crypto.KeyDestroyedException {
        Parsed p = parse(column);
        List<Entry> opened = new ArrayList<>(p.entries().size());
        if (p.sealed() == null) {
            for (Entry e : p.entries()) {
                opened.add(e.with(wanted.test(e.id()) ? crypto.decrypt(owner, e.stanza()) : null));
            }
            return opened;
        }
        byte[] plain = crypto.decrypt(owner, p.sealed());
        int at = 0;
        for (int i = 0; i < p.entries().size(); i++) {
            Entry e = p.entries().get(i);
            int length = p.lengths()[i];
            if (length > plain.length - at) {
                throw new IllegalStateException("a damaged archive bucket: its stanzas do not match its entries");
            }
            opened.add(e.with(wanted.test(e.id()) ? Arrays.copyOfRange(plain, at, at + length) : null));
            at += length;
        }
        return opened;
    }

    /**
     * The same column with every entry's resource emptied, its stanzas left as they are (sealed):
     * the re-addressing of a copy that can no longer be decrypted.
     */
    static byte[] withoutResources(byte[] column) {
        Parsed p = parse(column);
        List<Entry> entries = new ArrayList<>();
        for (Entry e : p.entries()) {
            entries.add(new Entry(e.id(), "", e.sid(), e.outgoing(), e.stanza()));
        }
        return p.sealed() == null ? encodeSealed(entries) : sealedTogether(entries, p.lengths(), p.sealed());
    }

    /**
     * A column read: the entries (each with its own sealed stanza in format {@link #SEALED_APART}), and
     * in format {@link #SEALED_TOGETHER} the stanzas' lengths and their one ciphertext.
     */
    private record Parsed(List<Entry> entries, int[] lengths, byte[] sealed) {
    }

    private static Parsed parse(byte[] column) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(column))) {
            int format = in.readByte();
            if (format != SEALED_APART && format != SEALED_TOGETHER) {
                throw new IllegalStateException("an archive bucket in an unknown format");
            }
            int n = in.readInt();
            if (n < 0 || n > column.length) {
                throw new IOException("entries: " + n);
            }
            List<Entry> entries = new ArrayList<>(n);
            int[] lengths = new int[n];
            for (int i = 0; i < n; i++) {
                long id = in.readLong();
                int flags = in.readByte();
                String resource = in.readUTF();
                String sid = (flags & OWN_UID) != 0 ? in.readUTF() : null;
                byte[] stanza = null;
                lengths[i] = in.readInt();
                if (lengths[i] < 0) {
                    throw new IOException("a stanza of " + lengths[i] + " bytes");
                }
                if (format == SEALED_APART) {
                    stanza = readBytes(in, lengths[i], column.length);
                }
                entries.add(new Entry(id, resource, sid, (flags & OUTGOING) != 0, stanza));
            }
            byte[] sealed = format == SEALED_TOGETHER ? readBytes(in, in.readInt(), column.length) : null;
            if (in.available() > 0) {
                throw new IOException("bytes after the last entry");
            }
            return new Parsed(entries, lengths, sealed);
        } catch (IOException e) {
            throw new IllegalStateException("a damaged archive bucket: " + e.getMessage(), e);
        }
    }

    private static byte[] readBytes(DataInputStream in, int length, int limit) throws IOException {
        if (length < 0 || length > limit) {
            throw new IOException("a length of " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
