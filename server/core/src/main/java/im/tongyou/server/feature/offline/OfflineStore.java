package im.tongyou.server.feature.offline;

import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.feature.Pseudonyms;
import im.tongyou.server.feature.StoredXml;
import im.tongyou.server.storage.Jdbc;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * The offline messages of XEP-0160 §2 in {@code offline_message}: each whole stanza is encrypted
 * under the recipient's data key (design guide §6: message bodies at rest), so erasing the user's
 * key shreds their queue too. Each row also keeps a keyed hash of the sender's bare JID, so that
 * the messages a cancelled user left in others' queues can be found and re-addressed to the
 * tombstone (privacy requirements decision 3, as the archive does). The only code that touches the
 * table.
 */
final class OfflineStore {

    private static final Logger log = LoggerFactory.getLogger(OfflineStore.class);

    /**
     * A stored message.
     *
     * @param id       increasing with every insert
     * @param storedAt when it was stored
     * @param message  the stanza, or {@code null} when it can no longer be decrypted
     */
    record Stored(long id, Instant storedAt, Message message) {
    }

    /** Keyed-hash purpose of the senders' bare JIDs. */
    static final String SENDER = "offline-sender";

    private final Jdbc jdbc;
    private final Crypto crypto;
    private final Clock clock;

    OfflineStore(DataSource dataSource, Crypto crypto, Clock clock) {

        this.jdbc = new Jdbc(dataSource);
        this.crypto = crypto;
        this.clock = clock;
    }

    /** Stores a message for the user, committed when this returns. */
    void add(String username, Message message) {
        byte[] sealed = crypto.encrypt(username, StoredXml.toBytes(message.getElement()));
        jdbc.update("INSERT INTO offline_message (username, stored_at, stanza, sender_hash) VALUES (?, ?, ?, ?)",
                username, clock.instant(), sealed, senderHash(message.getFrom()));
    }

    private byte[] senderHash(JID from) {
        return from == null ? new byte[0] : crypto.keyedHash(SENDER, from.toBareJID().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Re-addresses the messages from {@code bare} waiting in anyone's queue to the tombstone, inside
     * the sealed stanza too; rows stored before the sender hash existed are read once and get theirs.
     * Idempotent; returns how many were re-addressed.
     */
    int readdress(JID bare, JID tombstone) {
        byte[] hash = senderHash(bare);
        int changed = 0;
        long after = Long.MIN_VALUE;
        while (true) {
            List<Object[]> page = jdbc.query("SELECT id, username, stanza FROM offline_message WHERE (sender_hash = ? "
                    + "OR sender_hash IS NULL) AND id > ? ORDER BY id FETCH FIRST 500 ROWS ONLY",
                    rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getBytes(3)}, hash, after);
            for (Object[] row : page) {
                after = (Long) row[0];
                changed += readdress((Long) row[0], (String) row[1], (byte[]) row[2], bare, tombstone);
            }
            if (page.size() < 500) {
                return changed;
            }
        }
    }

    private int readdress(long id, String holder, byte[] sealed, JID bare, JID tombstone) {
        org.dom4j.Element stanza;
        try {
            stanza = StoredXml.parse(crypto.decrypt(holder, sealed));
        } catch (Crypto.KeyDestroyedException | IllegalArgumentException e) {
            return 0; // unreadable: it reveals nothing, and delivery drops it
        }
        String from = stanza.attributeValue("from");
        JID sender = from == null || from.isEmpty() ? null : new JID(from);
        if (sender == null || !sender.toBareJID().equalsIgnoreCase(bare.toBareJID())) {
            jdbc.update("UPDATE offline_message SET sender_hash = ? WHERE id = ? AND sender_hash IS NULL",
                    senderHash(sender), id);
            return 0;
        }
        Pseudonyms.replace(stanza, bare, tombstone);
        return jdbc.update("UPDATE offline_message SET stanza = ?, sender_hash = ? WHERE id = ?",
                crypto.encrypt(holder, StoredXml.toBytes(stanza)), senderHash(tombstone), id);
    }

    /** The number of messages waiting for the user. */
    int count(String username) {
        return jdbc.queryOne("SELECT COUNT(*) FROM offline_message WHERE username = ?",
                rs -> rs.getInt(1), username).orElse(0);
    }

    /** Up to {@code limit} messages of the user with an id above {@code afterId}, oldest first. */
    List<Stored> next(String username, long afterId, int limit) {
        List<Stored> rows = jdbc.query("SELECT id, stored_at, stanza FROM offline_message"
                        + " WHERE username = ? AND id > ? ORDER BY id FETCH FIRST " + limit + " ROWS ONLY",
                rs -> new Stored(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                        open(username, rs.getLong(1), rs.getBytes(3))), username, afterId);
        return rows;
    }

    private Message open(String username, long id, byte[] sealed) {
        try {
            return new Message(StoredXml.parse(crypto.decrypt(username, sealed)), true);
        } catch (Crypto.KeyDestroyedException | IllegalArgumentException e) {
            log.warn("offline message {} of a user cannot be read any more: {}", id, e.getMessage());
            return null;
        }
    }

    /** Deletes the given messages of the user (those handed over or unreadable). */
    void delete(String username, List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM offline_message WHERE username = ? AND id = ?")) {
                for (long id : ids) {
                    ps.setString(1, username);
                    ps.setLong(2, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /**
     * Deletes every message stored before the cut-off (retention, design guide §6) and reports the
     * age of the oldest message kept; returns how many were deleted.
     */
    int purgeBefore(Instant cutoff) {
        int deleted = jdbc.update("DELETE FROM offline_message WHERE stored_at < ?", cutoff);
        if (deleted > 0) {
            log.info("deleted {} offline messages past their retention", deleted);
        }
        Instant oldest = oldest();
        if (oldest != null) {
            log.debug("the oldest offline message kept is {} old", Duration.between(oldest, clock.instant()));
        }
        return deleted;
    }

    /** When the oldest message still kept was stored, or {@code null} when there is none. */
    Instant oldest() {
        List<Instant> min = jdbc.query("SELECT MIN(stored_at) FROM offline_message", rs -> {
            OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
            return t == null ? null : t.toInstant();
        });
        return min.isEmpty() ? null : min.get(0);
    }

    /** Every waiting message of the user, decrypted, for a data export. */
    List<Map<String, Object>> export(String username) {
        List<Map<String, Object>> messages = new ArrayList<>();
        long after = 0;
        List<Stored> page;
        do {
            page = next(username, after, 100);
            for (Stored s : page) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("storedAt", s.storedAt().toString());
                m.put("stanza", s.message() == null ? null
                        : new String(StoredXml.toBytes(s.message().getElement()), StandardCharsets.UTF_8));
                messages.add(m);
                after = s.id();
            }
        } while (page.size() == 100);
        return messages;
    }

    /** Deletes every message of the user. */
    void erase(String username) {
        jdbc.update("DELETE FROM offline_message WHERE username = ?", username);
    }

}
