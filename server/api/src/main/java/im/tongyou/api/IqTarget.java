package im.tongyou.api;

/**
 * The addressee of an IQ request, as RFC 6120 §10.3 and §10.5 distinguish them for a server.
 */
public enum IqTarget {
    /** The server itself: {@code to} is the domain. */
    SERVER,
    /**
     * The requester's own account: no {@code to} (RFC 6120 §10.3.3: "the server MUST handle it
     * directly on behalf of the entity that sent it") or {@code to} its own bare JID. Roster,
     * blocking, private storage.
     */
    ACCOUNT,
    /**
     * Any local user's bare JID, the requester's own included when no {@link #ACCOUNT} route
     * matches: the server answers on behalf of that account (vCard, last activity, disco of a
     * user). The handler checks that the requester may see what it asks for.
     */
    USER
}
