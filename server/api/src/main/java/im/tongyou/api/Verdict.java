package im.tongyou.api;

/** What an {@link Interceptor} decided for a stanza. */
public enum Verdict {
    /** Let the stanza travel on to the next interceptor and the router. */
    CONTINUE,
    /** The interceptor took care of the stanza (stored it, answered it): stop, nothing is lost. */
    HANDLED,
    /** Discard the stanza silently (for example a stanza from a blocked address). */
    DROP
}
