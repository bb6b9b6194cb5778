package im.tongyou.server.net.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What fuzzing found, spelt out as plain tests (the inputs themselves are replayed from the
 * fuzz targets' Inputs directories on every build).
 */
class FuzzFindingsTest {

    /**
     * A 'to' that tinder cannot even split into parts ("@x") made building the packet throw on the
     * session's worker: the stanza vanished with an error in the log. RFC 6120 §8.3.3.8: the
     * sender gets jid-malformed.
     */
    @Test
    void aToAddressTinderCannotParseIsJidMalformed() {
        WarningWatch warnings = WarningWatch.install();
        try (C2sHarness harness = new C2sHarness()) {
            FuzzChannel romeo = harness.romeo();
            harness.login(romeo, "romeo");
            C2sHarness.feed(romeo, "<iq type='get' id='q1' to='@tongyou.test'><ping xmlns='urn:xmpp:ping'/></iq>"
                    + "<message id='m1' to='/x'><body>hi</body></message>");
            String output = romeo.takeOutput();
            assertThat(output).contains("id=\"q1\"").contains("id=\"m1\"");
            assertThat(output.split("<jid-malformed", -1)).hasSize(3);
            assertThat(romeo.isActive()).isTrue();
            warnings.assertQuiet();
        }
    }

    /**
     * An IQ with neither an id nor a valid type is bounced with bad-request; the bounce (an IQ error
     * without an id) was looked up among the server's pending requests by a null id, and routing
     * failed with a NullPointerException in the log instead of answering.
     */
    @Test
    void anIqWithoutIdOrValidTypeIsBouncedAsBadRequest() {
        WarningWatch warnings = WarningWatch.install();
        try (C2sHarness harness = new C2sHarness()) {
            FuzzChannel romeo = harness.romeo();
            harness.login(romeo, "romeo");
            C2sHarness.feed(romeo, "<iq type='bogus'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(romeo.takeOutput()).contains("<bad-request");
            assertThat(romeo.isActive()).isTrue();
            warnings.assertQuiet();
        }
    }

    /** A NUL in SASL text is not-well-formed (RFC 6120 §11), not an internal failure. */
    @Test
    void aNulInTextIsNotWellFormed() {
        WarningWatch warnings = WarningWatch.install();
        try (C2sHarness harness = new C2sHarness()) {
            FuzzChannel romeo = harness.romeo();
            C2sHarness.feed(romeo, C2sHarness.HEADER
                    + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AHJvbWVv\u0000</auth>");
            assertThat(romeo.takeOutput()).contains("<not-well-formed").doesNotContain("internal-server-error");
            assertThat(romeo.isActive()).isFalse();
            warnings.assertQuiet();
        }
    }
}
