package im.tongyou.server.auth;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The SASL mechanisms this server offers, and a fresh {@link SaslMechanism} for the one a client
 * selects (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-6.4.1">RFC 6120 §6.4.1</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc6120#section-6.4.2">§6.4.2</a>). PLAIN is offered
 * and accepted only on an encrypted stream. Built once at start; thread-safe.
 */
public final class SaslMechanisms {

    /** Every mechanism we implement, strongest first. */
    public static final List<String> SUPPORTED = List.of(
            ScramHash.SHA_256.mechanismName(), ScramHash.SHA_1.mechanismName(), PlainMechanism.NAME);

    private final List<String> enabled;
    private final SaslSettings settings;

    /**
     * @param enabled  the mechanisms to offer, in order of preference (from {@code auth.mechanisms})
     * @param settings what all exchanges share
     * @throws IllegalArgumentException naming a mechanism we do not implement
     */
    public SaslMechanisms(List<String> enabled, SaslSettings settings) {
        for (String name : enabled) {
            if (!SUPPORTED.contains(name)) {
                throw new IllegalArgumentException("unsupported SASL mechanism '" + name + "'; supported: " + SUPPORTED);
            }
        }
        this.enabled = List.copyOf(new LinkedHashSet<>(enabled));
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The names to list in {@code <mechanisms/>}, in order of preference. */
    public List<String> offered(boolean encrypted) {
        List<String> names = new ArrayList<>(enabled);
        if (!encrypted) {
            names.remove(PlainMechanism.NAME);
        }
        return List.copyOf(names);
    }

    /**
     * A new exchange for the mechanism named in {@code <auth/>}. A name we do not offer gives an
     * exchange whose first step fails with {@code invalid-mechanism} (RFC 6120 §6.5.7); PLAIN on
     * an unencrypted stream fails with {@code encryption-required} (§6.5.4).
     *
     * @param gate asked with the claimed user name before the account is looked up, normally
     *             {@link AuthThrottle#gate(java.net.InetAddress)} for the connection's address
     */
    public SaslMechanism select(String name, boolean encrypted, AccountGate gate) {
        if (name == null || !enabled.contains(name)) {
            return new Refused(String.valueOf(name), SaslFailure.INVALID_MECHANISM);
        }
        if (name.equals(PlainMechanism.NAME)) {
            return encrypted
                    ? new PlainMechanism(settings, gate)
                    : new Refused(name, SaslFailure.ENCRYPTION_REQUIRED);
        }
        ScramHash hash = ScramHash.forMechanism(name).orElseThrow();
        return new ScramServerMechanism(hash, settings, gate);
    }

    /** An exchange that fails at once. */
    private record Refused(String name, SaslFailure condition) implements SaslMechanism {
        @Override
        public SaslStep start(byte[] initialResponse) {
            return new SaslStep.Failure(condition, "");
        }

        @Override
        public SaslStep respond(byte[] response) {
            return new SaslStep.Failure(condition, "");
        }

        @Override
        public Optional<String> username() {
            return Optional.empty();
        }

        @Override
        public Optional<String> authenticatedUsername() {
            return Optional.empty();
        }
    }
}
