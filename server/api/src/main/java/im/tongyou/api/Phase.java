package im.tongyou.api;

/**
 * The points on a stanza's way through the router where interceptors run
 * (design guide §3: the way a stanza travels).
 */
public enum Phase {
    /**
     * Before routing: a stanza just received from a local client (its {@code from} already
     * stamped), or one a plugin routes. Sender-side rules: blocking, rate limits, archiving of
     * what a user sends, outgoing carbons.
     */
    PRE_ROUTE,
    /**
     * A stanza addressed to a local user who has at least one session to deliver to, before it is
     * handed to the session(s). Recipient-side rules: blocking, archiving, incoming carbons.
     */
    DELIVER,
    /**
     * A message or presence for a local user with no session that can take it: offline storage,
     * push notifications. When no interceptor handles it, the router applies RFC 6121 §8's
     * default (an error for a message, nothing for a presence).
     */
    OFFLINE
}
