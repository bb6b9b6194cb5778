package im.tongyou.server.feature.push;

import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.feature.StoredXml;
import im.tongyou.server.storage.Jdbc;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;

/**
 * Users' push registrations (XEP-0357 §5) in {@code push_registration} and the devices of the
 * built-in app server in {@code push_device}; the only code that touches them. Publish options and
 * device tokens are encrypted under the user's data key.
 */
final class PushStore {

    private static final Logger log = LoggerFactory.getLogger(PushStore.class);

    /**
     * An app server a user enabled.
     *
     * @param options the publish-options form to send with each notification, or {@code null}
     */
    record Registration(String username, JID service, String node, Element options, boolean previews) {
    }

    /** A device of the built-in app server. */
    record Device(String node, String username, String provider, String token, byte[] secretHash) {
    }

    private final Jdbc jdbc;
    private final Crypto crypto;
    private final Clock clock;

    PushStore(DataSource dataSource, Crypto crypto, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.crypto = crypto;
        this.clock = clock;
    }

    /** Enables (or enables again, with new options: §5) an app server and node for the user. */
    void enable(Registration r) {
        byte[] options = r.options() == null ? null : crypto.encrypt(r.username(), StoredXml.toBytes(r.options()));
        Instant now = clock.instant();
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM push_registration WHERE username = ? AND service = ? AND node = ?",
                    r.username(), r.service().toString(), r.node());
            Jdbc.update(c, "INSERT INTO push_registration (username, service, node, options, previews, created_at,"
                    + " last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?)", r.username(), r.service().toString(), r.node(),
                    options, r.previews(), now, now);
            return null;
        });
    }

    /** Disables one node of an app server, or all of its nodes when {@code node} is null (§6). */
    int disable(String username, JID service, String node) {
        return node == null
                ? jdbc.update("DELETE FROM push_registration WHERE username = ? AND service = ?", username, service.toString())
                : jdbc.update("DELETE FROM push_registration WHERE username = ? AND service = ? AND node = ?",
                        username, service.toString(), node);
    }

    /** The user's registrations. */
    List<Registration> registrations(String username) {
        return jdbc.query("SELECT service, node, options, previews FROM push_registration WHERE username = ?"
                + " ORDER BY service, node", rs -> new Registration(username, new JID(rs.getString(1)), rs.getString(2),
                options(username, rs.getBytes(3)), rs.getBoolean(4)), username);
    }

    private Element options(String username, byte[] sealed) {
        if (sealed == null) {
            return null;
        }
        try {
            return StoredXml.parse(crypto.decrypt(username, sealed));
        } catch (Crypto.KeyDestroyedException | IllegalArgumentException e) {
            log.warn("the publish options of a push registration cannot be read: {}", e.getMessage());
            return null;
        }
    }

    /** The number of the user's registrations. */
    int count(String username) {
        return jdbc.queryOne("SELECT COUNT(*) FROM push_registration WHERE username = ?", rs -> rs.getInt(1), username)
                .orElse(0);
    }

    /** A notification reached the app server: the registration is in use. */
    void touch(Registration r) {
        jdbc.update("UPDATE push_registration SET last_used_at = ? WHERE username = ? AND service = ? AND node = ?",
                clock.instant(), r.username(), r.service().toString(), r.node());
    }

    /** Deletes registrations and devices unused since the cut-off; returns how many. */
    int expire(Instant unusedSince) {
        return jdbc.update("DELETE FROM push_registration WHERE last_used_at < ?", unusedSince)
                + jdbc.update("DELETE FROM push_device WHERE last_used_at < ?", unusedSince);
    }

    /** Registers a device with the built-in app server. */
    void addDevice(String node, String username, String provider, String token, byte[] secretHash) {
        Instant now = clock.instant();
        jdbc.update("INSERT INTO push_device (node, username, provider, token, secret_hash, created_at, last_used_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", node, username, provider,
                crypto.encrypt(username, token.getBytes(StandardCharsets.UTF_8)), secretHash, now, now);
    }

    /** A device by its node; empty when unknown or when its token can no longer be read. */
    Optional<Device> device(String node) {
        return jdbc.queryOne("SELECT username, provider, token, secret_hash FROM push_device WHERE node = ?",
                rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4)}, node)
                .flatMap(row -> {
                    String username = (String) row[0];
                    try {
                        String token = new String(crypto.decrypt(username, (byte[]) row[2]), StandardCharsets.UTF_8);
                        return Optional.of(new Device(node, username, (String) row[1], token, (byte[]) row[3]));
                    } catch (Crypto.KeyDestroyedException | IllegalArgumentException e) {
                        return Optional.empty();
                    }
                });
    }

    /** A notification went to the device. */
    void touchDevice(String node) {
        jdbc.update("UPDATE push_device SET last_used_at = ? WHERE node = ?", clock.instant(), node);
    }

    /** Removes a device (its owner unregisters it, or its token is no longer valid). */
    int removeDevice(String node, String username) {
        return jdbc.update("DELETE FROM push_device WHERE node = ? AND username = ?", node, username);
    }

    /** Everything kept about the user, for a data export. */
    Map<String, Object> export(String username) {
        List<Map<String, Object>> registrations = jdbc.query("SELECT service, node, previews, created_at, last_used_at"
                + " FROM push_registration WHERE username = ? ORDER BY created_at", rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("service", rs.getString(1));
                    m.put("node", rs.getString(2));
                    m.put("previews", rs.getBoolean(3));
                    m.put("createdAt", rs.getObject(4, OffsetDateTime.class).toInstant().toString());
                    m.put("lastUsedAt", rs.getObject(5, OffsetDateTime.class).toInstant().toString());
                    return m;
                }, username);
        List<Map<String, Object>> devices = jdbc.query("SELECT node, provider, created_at, last_used_at FROM push_device"
                + " WHERE username = ? ORDER BY created_at", rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("node", rs.getString(1));
                    m.put("provider", rs.getString(2));
                    m.put("token", device(rs.getString(1)).map(Device::token).orElse(null));
                    m.put("createdAt", rs.getObject(3, OffsetDateTime.class).toInstant().toString());
                    m.put("lastUsedAt", rs.getObject(4, OffsetDateTime.class).toInstant().toString());
                    return m;
                }, username);
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("registrations", registrations);
        export.put("devices", devices);
        return export;
    }

    /** Deletes everything kept about the user. */
    void erase(String username) {
        jdbc.update("DELETE FROM push_registration WHERE username = ?", username);
        jdbc.update("DELETE FROM push_device WHERE username = ?", username);
    }
}
