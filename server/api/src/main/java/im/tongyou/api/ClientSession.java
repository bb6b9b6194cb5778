package im.tongyou.api;

import java.net.InetSocketAddress;
import java.time.Instant;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;
import org.xmpp.packet.StreamError;

/** A client connection with a bound resource (RFC 6120 §7), as plugins see it. */
public interface ClientSession {

    /** The full JID bound to this session. */
    org.xmpp.packet.JID jid();

    /** The user's local part. */
    default String username() {
        return jid().getNode();
    }

    /** Whether the client has sent available presence and not yet unavailable (RFC 6121 §4.2). */
    boolean isAvailable();

    /** The last presence the client broadcast, or {@code null} before its initial presence. */
    Presence presence();

    /** The priority of the last broadcast presence (RFC 6121 §4.7.2.3), 0 before any. */
    int priority();

    /** When the resource was bound. */
    Instant boundAt();

    /** The address the client connected from. */
    InetSocketAddress remoteAddress();

    /** Writes a stanza to this client as it is, without interceptors; from any thread. */
    void send(Packet stanza);

    /** A value a plugin keeps for this session, or {@code null}. */
    <T> T get(SessionKey<T> key);

    /** Sets (or, with {@code null}, removes) a value a plugin keeps for this session. */
    <T> void set(SessionKey<T> key, T value);

    /** Ends the session with a stream error (RFC 6120 §4.9) and closes the connection. */
    void close(StreamError.Condition condition, String text);

    /** Whether the connection is still open. */
    boolean isOpen();
}
