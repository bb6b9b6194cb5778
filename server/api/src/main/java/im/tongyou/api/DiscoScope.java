package im.tongyou.api;

/** Which entity a service discovery (XEP-0030) feature is advertised on. */
public enum DiscoScope {
    /** The server's domain JID. */
    SERVER,
    /** Every user's bare JID, as XEP-0313 and XEP-0163 require for archive and PEP features. */
    ACCOUNT
}
