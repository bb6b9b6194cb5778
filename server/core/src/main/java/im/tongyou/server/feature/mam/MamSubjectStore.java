package im.tongyou.server.feature.mam;

import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.feature.Pseudonyms;
import im.tongyou.server.feature.StoredXml;
import im.tongyou.server.storage.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * The archive's part in a data subject's rights (xeps/tongyou-rights.md): importing an archive
 * (XEP-0227), re-addressing others' copies of conversations with an erased user to a tombstone,
 * and erasing a user's archive. Works on {@code mam_bucket} and {@code mam_uid} like {@link MamStore}.
 */
final class MamSubjectStore {

    private static final Logger log = LoggerFactory.getLogger(MamSubjectStore.class);

    private final Jdbc jdbc;
    private final Crypto crypto;
    private final MamUids uids;

    MamSubjectStore(Jdbc jdbc, Crypto crypto, MamUids uids) {
        this.jdbc = jdbc;
        this.crypto = crypto;
        this.uids = uids;
    }

    /**
     * Re-addresses other owners' copies of conversations with {@code bare} to the tombstone (privacy
     * requirements decision 3, AC-13 (d)): the conversation column, the resources, and every address
     * of the JID inside the stored stanzas, which are encrypted again under their owner's key. A bucket
     * that can no longer be decrypted keeps its (unreadable) stanzas. Returns how many copies changed.
     */
    int readdress(JID bare, JID tombstone) {
        int changed = 0;
        long after = Long.MIN_VALUE;
        while (true) {
            List<Object[]> page = jdbc.query("SELECT last_id, owner, entries FROM mam_bucket WHERE with_bare = ?"
                    + " AND last_id > ? ORDER BY last_id FETCH FIRST 100 ROWS ONLY", rs -> new Object[] {
                    rs.getLong(1), rs.getString(2), rs.getBytes(3)}, bare.toBareJID(), after);
            for (Object[] row : page) {
                String owner = (String) row[1];
                byte[] column = (byte[]) row[2];
                byte[] readdressed;
                int messages;
                try {
                    List<MamBucket.Entry> entries = new ArrayList<>();
                    for (MamBucket.Entry e : MamBucket.open(column, owner, crypto, id -> true)) {
                        org.dom4j.Element stanza = StoredXml.parse(e.stanza());
                        Pseudonyms.replace(stanza, bare, tombstone);
                        entries.add(new MamBucket.Entry(e.id(), "", e.sid(), e.outgoing(), StoredXml.toBytes(stanza)));
                    }
                    readdressed = MamBucket.seal(owner, entries, crypto);
                    messages = entries.size();
                } catch (Crypto.KeyDestroyedException | IllegalArgumentException failure) {
                    log.debug("an archive bucket cannot be read any more; it is re-addressed only");
                    readdressed = MamBucket.withoutResources(column);
                    messages = MamBucket.decode(column).size();
                }
                jdbc.update("UPDATE mam_bucket SET with_bare = ?, entries = ? WHERE last_id = ?",
                        tombstone.toBareJID(), readdressed, row[0]);
                changed += messages;
                after = (Long) row[0];
            }
            if (page.size() < 100) {
                return changed;
            }
        }
    }

    /**
     * A message to import into an archive (XEP-0227 §4.8), archived at {@code stamp}.
     *
     * @param sid the archive UID it had, kept
     */
    record Imported(Instant stamp, String sid, boolean outgoing, String withBare, String withResource,
                    Message message) {
    }

    /**
     * Imports messages into the owner's archive at their original times, in one transaction: each
     * gets the next free order key of its millisecond (the live archive writes only at the present
     * time, so the keys of the past are free) and keeps its UID.
     */
    void importArchive(String owner, List<Imported> messages) {
        jdbc.inTransaction(c -> {
            List<MamStore.Row> rows = new ArrayList<>();
            Map<Long, Long> lastOfMillis = new HashMap<>();
            for (Imported m : messages) {
                long millis = m.stamp().toEpochMilli();
                Long last = lastOfMillis.get(millis);
                long id = last != null ? last + 1 : highestIn(c, MamIds.firstIdAt(millis), MamIds.lastIdAt(millis)) + 1;
                lastOfMillis.put(millis, id);
                String sid = m.sid() == null || m.sid().equals(uids.of(id)) ? null : m.sid();
                rows.add(new MamStore.Row(id, owner, m.withBare(), m.withResource(), sid, m.outgoing(),
                        StoredXml.toBytes(m.message().getElement())));
            }
            MamStore.insert(c, rows, crypto);
            return null;
        });
    }

    /** The highest key stored in [from, to], or {@code from - 1}. */
    private static long highestIn(Connection c, long from, long to) throws SQLException {
        long highest = from - 1;
        for (MamBucketScan.Read b : Jdbc.query(c, "SELECT last_id, first_id, with_bare, messages, entries FROM mam_bucket"
                + " WHERE last_id >= ? AND last_id <= ? AND first_id <= ?", MamBucketScan::read, from, MamBucket.plusSpan(to), to)) {
            for (MamBucket.Entry e : MamBucket.decode(b.entries())) {
                if (e.id() <= to && e.id() > highest) {
                    highest = e.id();
                }
            }
        }
        return highest;
    }

    /** Deletes the owner's whole archive; returns how many messages it held. */
    long erase(String owner) {
        return jdbc.inTransaction(c -> {
            long n = MamStore.sum(c, "WHERE owner = ?", owner);
            Jdbc.update(c, "DELETE FROM mam_bucket WHERE owner = ?", owner);
            Jdbc.update(c, "DELETE FROM mam_uid WHERE owner = ?", owner);
            return n;
        });
    }
}
