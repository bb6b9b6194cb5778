package im.tongyou.server.auth;

import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of one step of a SASL exchange, which the stream sends as {@code <challenge/>},
 * {@code <success/>} or {@code <failure/>}
 * (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-6.4">RFC 6120 §6.4</a>).
 * Byte arrays are raw (not base 64) and copied in and out.
 */
public sealed interface SaslStep {

    /**
     * The server needs another response: send {@code <challenge/>} with {@code data} in base 64
     * (an empty array means an empty {@code <challenge/>}).
     */
    record Challenge(byte[] data) implements SaslStep {
        public Challenge {
            data = data == null ? new byte[0] : data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Challenge other && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Challenge[" + data.length + " bytes]";
        }
    }

    /**
     * Authentication succeeded: send {@code <success/>} carrying {@code additionalData} in base 64,
     * or no character data at all when it is empty (RFC 6120 §6.3.10).
     *
     * @param authcid        the authenticated user name, after SASLprep, as the client sent it; the
     *                       caller turns it into the JID localpart (RFC 7622 §3.3)
     * @param additionalData additional data with success, for SCRAM the server-final-message
     */
    record Success(String authcid, byte[] additionalData) implements SaslStep {
        public Success {
            Objects.requireNonNull(authcid, "authcid");
            additionalData = additionalData == null ? new byte[0] : additionalData.clone();
        }

        @Override
        public byte[] additionalData() {
            return additionalData.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Success other && authcid.equals(other.authcid)
                    && Arrays.equals(additionalData, other.additionalData);
        }

        @Override
        public int hashCode() {
            return 31 * authcid.hashCode() + Arrays.hashCode(additionalData);
        }

        @Override
        public String toString() {
            return "Success[authcid=" + authcid + ", " + additionalData.length + " bytes]";
        }
    }

    /**
     * Authentication failed: send {@code <failure/>} with the condition and, if not empty, a
     * {@code <text/>}. The exchange is over.
     *
     * @param condition the RFC 6120 §6.5 condition
     * @param text      human-readable detail for the client, possibly empty; it never says whether
     *                  an account exists
     */
    record Failure(SaslFailure condition, String text) implements SaslStep {
        public Failure {
            Objects.requireNonNull(condition, "condition");
            text = text == null ? "" : text;
        }
    }
}
