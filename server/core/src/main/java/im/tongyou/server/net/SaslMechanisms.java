package im.tongyou.server.net;

import im.tongyou.server.auth.SaslMechanism;

/** Creates a fresh SASL mechanism for one authentication exchange. */
@FunctionalInterface
public interface SaslMechanisms {

    /**
     * @param name a mechanism name the listener offered, such as {@code SCRAM-SHA-256}
     * @param tls  whether the stream is encrypted
     */
    SaslMechanism create(String name, boolean tls);
}
