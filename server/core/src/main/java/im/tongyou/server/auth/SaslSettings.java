package im.tongyou.server.auth;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What every SASL exchange of a server shares: the account look-up, the decoys for unknown users,
 * the domain and the source of SCRAM nonces
 * (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-6.4">RFC 6120 §6.4</a>). Built once at start.
 *
 * @param lookup finds accounts; may block
 * @param decoys decoy credentials, so that unknown users look and take as long as real ones
 * @param domain the XMPP domain, so that the user's bare JID is accepted as authzid; may be {@code null}
 * @param nonces SCRAM server nonces, printable ASCII without ',', normally
 *               {@link ScramServerMechanism#randomNonces}
 */
public record SaslSettings(CredentialLookup lookup, UnknownUserDecoys decoys, String domain, Supplier<String> nonces) {

    public SaslSettings {
        Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(decoys, "decoys");
        Objects.requireNonNull(nonces, "nonces");
    }
}
