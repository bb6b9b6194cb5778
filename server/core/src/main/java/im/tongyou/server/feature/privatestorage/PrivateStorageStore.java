package im.tongyou.server.feature.privatestorage;

import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.feature.StoredXml;
import im.tongyou.server.storage.Jdbc;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fragments of XEP-0049 private XML storage in {@code privatestorage_fragment}, one row per
 * user and namespace, each encrypted under the user's data key. The only code that touches the
 * table.
 */
final class PrivateStorageStore {

    private static final Logger log = LoggerFactory.getLogger(PrivateStorageStore.class);

    private final Jdbc jdbc;
    private final Crypto crypto;
    private final Clock clock;

    PrivateStorageStore(DataSource dataSource, Crypto crypto, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.crypto = crypto;
        this.clock = clock;
    }

    /**
     * The stored fragment of a namespace: a {@code <query xmlns='jabber:iq:private'/>} holding the
     * elements last set in that namespace.
     */
    Optional<Element> get(String username, String namespace) {
        return jdbc.queryOne("SELECT data FROM privatestorage_fragment WHERE username = ? AND namespace = ?",
                rs -> rs.getBytes(1), username, namespace).flatMap(sealed -> open(username, namespace, sealed));
    }

    private Optional<Element> open(String username, String namespace, byte[] sealed) {
        try {
            return Optional.of(StoredXml.parse(crypto.decrypt(username, sealed)));
        } catch (Crypto.KeyDestroyedException | IllegalArgumentException e) {
            log.warn("a private storage fragment ({}) cannot be read any more: {}", namespace, e.getMessage());
            return Optional.empty();
        }
    }

    /** The plaintext size of each stored namespace of the user. */
    Map<String, Integer> sizes(String username) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        jdbc.query("SELECT namespace, size_bytes FROM privatestorage_fragment WHERE username = ? ORDER BY namespace",
                rs -> sizes.put(rs.getString(1), rs.getInt(2)), username);
        return sizes;
    }

    /** Replaces the fragments of the given namespaces (namespace to serialized container), atomically. */
    void put(String username, Map<String, byte[]> fragments) {
        jdbc.inTransaction(c -> {
            for (Map.Entry<String, byte[]> e : fragments.entrySet()) {
                Jdbc.update(c, "DELETE FROM privatestorage_fragment WHERE username = ? AND namespace = ?",
                        username, e.getKey());
                Jdbc.update(c, "INSERT INTO privatestorage_fragment (username, namespace, data, size_bytes, updated_at)"
                                + " VALUES (?, ?, ?, ?, ?)", username, e.getKey(),
                        crypto.encrypt(username, e.getValue()), e.getValue().length,
                        clock.instant());
            }
            return null;
        });
    }

    /** Every fragment of the user as XML text by namespace, for a data export. */
    Map<String, Object> export(String username) {
        Map<String, Object> fragments = new LinkedHashMap<>();
        for (String namespace : sizes(username).keySet()) {
            fragments.put(namespace, get(username, namespace).map(StoredXml::toText).orElse(null));
        }
        return fragments;
    }

    /** Deletes every fragment of the user. */
    void erase(String username) {
        jdbc.update("DELETE FROM privatestorage_fragment WHERE username = ?", username);
    }
}
