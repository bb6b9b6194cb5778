package im.tongyou.server.feature.muc;

/** Namespaces, status codes and form fields of XEP-0045 Multi-User Chat (§19 schemas, §15 status codes). */
final class Muc {

    static final String NS = "http://jabber.org/protocol/muc";
    static final String NS_USER = NS + "#user";
    static final String NS_ADMIN = NS + "#admin";
    static final String NS_OWNER = NS + "#owner";
    static final String NS_ROOMCONFIG = NS + "#roomconfig";
    static final String NS_ROOMINFO = NS + "#roominfo";
    static final String NS_REQUEST = NS + "#request";
    static final String NS_STABLE_ID = NS + "#stable_id";
    /** XEP-0410 MUC Self-Ping: the service answers pings to an occupant's own JID itself. */
    static final String NS_SELF_PING = NS + "#self-ping-optimization";
    static final String NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
    static final String NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    static final String NS_DATA = "jabber:x:data";
    static final String NS_DELAY = "urn:xmpp:delay";
    static final String NS_PING = "urn:xmpp:ping";
    static final String NS_REGISTER = "jabber:iq:register";
    static final String NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    /** XEP-0045 §7.13: the well-known node for discovering one's reserved nickname. */
    static final String NODE_ROOMUSER = "x-roomuser-item";

    static final int STATUS_NON_ANONYMOUS = 100;
    static final int STATUS_CONFIG_CHANGED = 104;
    static final int STATUS_SELF = 110;
    static final int STATUS_NOW_NON_ANONYMOUS = 172;
    static final int STATUS_NOW_SEMI_ANONYMOUS = 173;
    static final int STATUS_CREATED = 201;
    static final int STATUS_BANNED = 301;
    static final int STATUS_NEW_NICK = 303;
    static final int STATUS_KICKED = 307;
    static final int STATUS_AFFILIATION_CHANGE = 321;
    static final int STATUS_MEMBERS_ONLY = 322;
    static final int STATUS_SHUTDOWN = 332;
    static final int STATUS_ERROR = 333;

    private Muc() {
    }
}
