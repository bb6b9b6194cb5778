package im.tongyou.server.privacy;

import im.tongyou.api.privacy.ConsentGate;
import im.tongyou.api.privacy.Purpose;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The core's {@link ConsentGate} (design guide §6): it asks the gate the consent plugin provides,
 * looked up at each call so that start order does not matter, and denies every optional purpose
 * while none runs (privacy by default, R-CON-1: "The default is not granted").
 */
public final class DelegatingConsentGate implements ConsentGate {

    private final Supplier<Optional<ConsentGate>> provider;

    public DelegatingConsentGate(Supplier<Optional<ConsentGate>> provider) {
        this.provider = provider;
    }

    @Override
    public boolean isGranted(String username, Purpose purpose) {
        return username != null && purpose != null
                && provider.get().map(gate -> gate.isGranted(username, purpose)).orElse(false);
    }

    @Override
    public boolean policyAccepted(String username, String document, String version) {
        return provider.get().map(gate -> gate.policyAccepted(username, document, version)).orElse(false);
    }
}
