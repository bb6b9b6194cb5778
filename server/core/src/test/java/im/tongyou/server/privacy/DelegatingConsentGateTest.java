package im.tongyou.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.privacy.ConsentGate;
import im.tongyou.api.privacy.Purpose;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.PacketError;

/** The core's consent gate: denies every purpose while no plugin provides one, and asks the provider at each call. */
class DelegatingConsentGateTest {

    @Test
    void withoutAProviderEveryPurposeIsDeniedWithTheSpecsError() {
        DelegatingConsentGate gate = new DelegatingConsentGate(Optional::empty);
        for (Purpose p : Purpose.values()) {
            assertThat(gate.isGranted("juliet", p)).isFalse();
        }
        assertThat(gate.policyAccepted("juliet", ConsentGate.PRIVACY_POLICY, "V4.2.7")).isFalse();
        assertThatThrownBy(() -> gate.require("juliet", Purpose.LOCATION_CHAT))
                .isInstanceOfSatisfying(StanzaErrorException.class, e -> {
                    PacketError error = e.toPacketError();
                    assertThat(error.getCondition()).isEqualTo(PacketError.Condition.forbidden);
                    assertThat(error.getElement().element("consent-required").attributeValue("purpose"))
                            .isEqualTo("location_chat");
                });
    }

    @Test
    void theProviderIsAskedAtEachCallSoStartOrderDoesNotMatter() {
        AtomicReference<ConsentGate> provided = new AtomicReference<>();
        DelegatingConsentGate gate = new DelegatingConsentGate(() -> Optional.ofNullable(provided.get()));
        assertThat(gate.isGranted("romeo", Purpose.PUSH)).isFalse();
        provided.set((user, purpose) -> user.equals("romeo") && purpose == Purpose.PUSH);
        assertThat(gate.isGranted("romeo", Purpose.PUSH)).isTrue();
        assertThat(gate.isGranted("romeo", Purpose.ANALYTICS)).isFalse();
        assertThat(gate.isGranted(null, Purpose.PUSH)).isFalse();
        provided.set(null);
        assertThat(gate.isGranted("romeo", Purpose.PUSH)).as("the provider stopped").isFalse();
    }
}
