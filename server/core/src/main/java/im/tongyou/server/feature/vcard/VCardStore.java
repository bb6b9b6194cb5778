package im.tongyou.server.feature.vcard;

import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.feature.StoredXml;
import im.tongyou.server.feature.vcard.ProfileElement.Visibility;
import im.tongyou.server.storage.Jdbc;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users' vCards and profile settings in {@code vcard_user}. The vCard is encrypted under its
 * owner's data key (it holds the birthday, and often addresses and telephones); the photo hash
 * is kept in clear, as presence publishes it anyway, and cached for the presence path. The only
 * code that touches the table.
 */
final class VCardStore {

    private static final Logger log = LoggerFactory.getLogger(VCardStore.class);
    private static final int CACHED_HASHES = 10_000;

    /**
     * One user's row.
     *
     * @param vcard      the vCard, or {@code null} when none was set
     * @param photoHash  the hex SHA-1 of its photo, or {@code null}
     * @param visibility who may see the profile
     * @param gender     the gender, or {@code null}
     */
    record Entry(Element vcard, String photoHash, Visibility visibility, String gender) {
        static final Entry NONE = new Entry(null, null, Visibility.CONTACTS, null);
    }

    private final Jdbc jdbc;
    private final Crypto crypto;
    private final Clock clock;
    private final Object[] locks = new Object[64];
    private final Map<String, Optional<String>> hashes = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
            return size() > CACHED_HASHES;
        }
    };

    VCardStore(DataSource dataSource, Crypto crypto, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.crypto = crypto;
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** The user's row, or {@link Entry#NONE}. */
    Entry get(String username) {
        return jdbc.queryOne("SELECT vcard, photo_hash, visibility, gender FROM vcard_user WHERE username = ?",
                rs -> new Entry(open(username, rs.getBytes(1)), rs.getString(2),
                        Optional.ofNullable(Visibility.of(rs.getString(3))).orElse(Visibility.CONTACTS),
                        rs.getString(4)), username).orElse(Entry.NONE);
    }

    private Element open(String username, byte[] sealed) {
        if (sealed == null) {
            return null;
        }
        try {
            return StoredXml.parse(crypto.decrypt(username, sealed));
        } catch (Crypto.KeyDestroyedException | IllegalArgumentException e) {
            log.warn("a vCard cannot be read any more: {}", e.getMessage());
            return null;
        }
    }

    /** Changes the user's row: read, change and write, one change per user at a time. */
    Entry update(String username, UnaryOperator<Entry> change) {
        synchronized (locks[Math.floorMod(username.hashCode(), locks.length)]) {
            Entry next = change.apply(get(username));
            byte[] sealed = next.vcard() == null ? null : crypto.encrypt(username, StoredXml.toBytes(next.vcard()));
            Object[] values = {sealed, next.photoHash(), next.visibility().xml(), next.gender(), clock.instant(), username};
            int updated = jdbc.update("UPDATE vcard_user SET vcard = ?, photo_hash = ?, visibility = ?, gender = ?,"
                    + " updated_at = ? WHERE username = ?", values);
            if (updated == 0) {
                jdbc.update("INSERT INTO vcard_user (vcard, photo_hash, visibility, gender, updated_at, username)"
                        + " VALUES (?, ?, ?, ?, ?, ?)", values);
            }
            synchronized (hashes) {
                hashes.put(username, Optional.ofNullable(next.photoHash()));
            }
            return next;
        }
    }

    /** The hex SHA-1 of the user's photo (XEP-0153), empty when there is none; cached. */
    Optional<String> photoHash(String username) {
        synchronized (hashes) {
            Optional<String> cached = hashes.get(username);
            if (cached != null) {
                return cached;
            }
        }
        Optional<String> hash = jdbc.queryOne("SELECT photo_hash FROM vcard_user WHERE username = ?",
                rs -> Optional.ofNullable(rs.getString(1)), username).flatMap(h -> h);
        synchronized (hashes) {
            hashes.put(username, hash);
        }
        return hash;
    }

    /** Everything held about the user, the birthday included, for a data export. */
    Map<String, Object> export(String username) {
        Entry entry = get(username);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("vcard", entry.vcard() == null ? null : StoredXml.toText(entry.vcard()));
        data.put("visibility", entry.visibility().xml());
        data.put("gender", entry.gender());
        return data;
    }

    /** Deletes the user's row. */
    void erase(String username) {
        jdbc.update("DELETE FROM vcard_user WHERE username = ?", username);
        synchronized (hashes) {
            hashes.remove(username);
        }
    }
}
