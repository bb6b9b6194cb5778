package im.tongyou.server.net.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes stream negotiation and the stanzas of a bound session through the server's real
 * client pipeline (RFC 6120 §4-§8): whatever a client sends, the server answers with
 * well-formed XML, ends the stream with a stream error or goes on, never fails internally
 * (no internal-server-error, no warning logged), and never leaves an unauthenticated
 * connection open once the negotiation timeout has passed.
 */
class C2sStreamFuzzTest {

    /** A client's first bytes: the stream header, STARTTLS, SASL (PLAIN and SCRAM), binding, early stanzas. */
    @FuzzTest(maxDuration = "60s")
    void negotiation(byte[] input) {
        WarningWatch warnings = WarningWatch.install();
        try (C2sHarness harness = new C2sHarness()) {
            FuzzChannel client = harness.romeo();
            C2sHarness.feed(client, input);
            String output = client.takeOutput();
            harness.settle();
            output += client.takeOutput();
            checkOutput(output);
            if (!harness.bound("romeo") && !harness.bound("juliet") && client.isActive()) {
                throw new AssertionError("the connection is still open after the negotiation timeout");
            }
            endsWhenClosed(client, output);
            warnings.assertQuiet();
        }
    }

    /**
     * What a bound session sends: stanzas of every kind, to the server, to itself and to another
     * session (Juliet, whose stream must stay well-formed too), stream management, bad addresses.
     */
    @FuzzTest(maxDuration = "60s")
    void boundSession(byte[] input) {
        WarningWatch warnings = WarningWatch.install();
        try (C2sHarness harness = new C2sHarness()) {
            FuzzChannel romeo = harness.romeo();
            harness.login(romeo, "romeo");
            harness.login(harness.juliet(), "juliet");
            C2sHarness.feed(romeo, input);
            String output = romeo.takeOutput();
            String delivered = harness.juliet().takeOutput();
            harness.settle();
            output += romeo.takeOutput();
            delivered += harness.juliet().takeOutput();
            checkOutput(output);
            checkOutput(delivered);
            if (delivered.contains("<stream:error")) {
                throw new AssertionError("another session's stream ended because of Romeo's input: " + delivered);
            }
            endsWhenClosed(romeo, output);
            warnings.assertQuiet();
        }
    }

    private static void checkOutput(String output) {
        WellFormed.assertServerOutput(output);
        if (output.contains("<internal-server-error")) { // the element: error texts may quote the client
            throw new AssertionError("the server failed internally on client input: " + WellFormed.abbreviate(output));
        }
    }

    /** After the server's closing tag the connection ends (at the latest after the close grace). */
    private static void endsWhenClosed(FuzzChannel client, String output) {
        if (output.contains("</stream:stream>") && client.isActive()) {
            throw new AssertionError("the server closed the stream but not the connection");
        }
    }
}
