package im.tongyou.api;

/** When a stream feature (RFC 6120 §4.3.2) is offered to a client. */
public enum StreamStage {
    /** After TLS, before authentication: alongside SASL (for example XEP-0077 registration). */
    BEFORE_AUTH,
    /** After authentication: alongside resource binding (roster versioning, caps, stream management). */
    AFTER_AUTH
}
