package im.tongyou.server.net;

/** XML namespaces of the XMPP core (RFC 6120) used on client streams. */
public final class Namespaces {

    public static final String CLIENT = "jabber:client";
    public static final String STREAMS = "http://etherx.jabber.org/streams";
    public static final String STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
    public static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
    public static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    public static final String BIND = "urn:ietf:params:xml:ns:xmpp-bind";
    public static final String SESSION = "urn:ietf:params:xml:ns:xmpp-session";
    public static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private Namespaces() {
    }
}
