package im.tongyou.server.net;

import im.tongyou.api.AccountException;
import im.tongyou.server.account.Usernames;
import im.tongyou.server.auth.AuthThrottle;
import im.tongyou.server.auth.SaslFailure;
import im.tongyou.server.auth.SaslMechanism;
import im.tongyou.server.auth.SaslStep;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.StreamError;

/**
 * The SASL exchange of one stream (RFC 6120 §6.4): auth, challenges and responses, success or
 * failure. Mechanism steps run on a worker (they look up credentials); failures are delayed and
 * counted per account and address by the {@link AuthThrottle}, and per stream (§6.4.5).
 */
final class SaslNegotiation {

    private static final Logger log = LoggerFactory.getLogger(SaslNegotiation.class);

    private final C2sHandler connection;
    private final C2sServices services;
    private final int maxFailures;
    private SaslMechanism mechanism;
    private int failures;

    SaslNegotiation(C2sHandler connection, C2sServices services, int maxFailures) {
        this.connection = connection;
        this.services = services;
        this.maxFailures = maxFailures;
    }

    void handle(Element element) {
        switch (element.getName()) {
            case "auth" -> auth(element);
            case "response" -> response(element);
            case "abort" -> {
                mechanism = null;
                fail(SaslFailure.ABORTED, null, null);
            }
            default -> connection.closeWithError(StreamError.Condition.unsupported_stanza_type,
                    "unexpected SASL element " + element.getName());
        }
    }

    private void auth(Element element) {
        String name = element.attributeValue("mechanism");
        if (name == null || !connection.offeredMechanisms().contains(name)) {
            // RFC 6120 §6.5.6: invalid-mechanism.
            connection.write(StreamText.saslFailure(SaslFailure.INVALID_MECHANISM.elementName(), null));
            return;
        }
        byte[] initial = decode(element);
        if (initial == BAD_BASE64) {
            return;
        }
        if (services.throttle().check(null, address()) instanceof AuthThrottle.Decision.Refused) {
            fail(SaslFailure.TEMPORARY_AUTH_FAILURE, "too many failed attempts from this address; try again later", null);
            return;
        }
        SaslMechanism started = services.sasl().select(name, connection.isTls(), services.throttle().gate(address()));
        mechanism = started;
        step(started, () -> started.start(initial));
    }

    private void response(Element element) {
        if (mechanism == null) {
            // RFC 6120 §6.5.9: malformed-request, a response with no exchange under way.
            connection.write(StreamText.saslFailure(SaslFailure.MALFORMED_REQUEST.elementName(), null));
            return;
        }
        byte[] data = decode(element);
        if (data == BAD_BASE64) {
            return;
        }
        SaslMechanism current = mechanism;
        step(current, () -> current.respond(data));
    }

    private static final byte[] BAD_BASE64 = new byte[0];

    /**
     * RFC 6120 §6.4.2: the content is base64; "=" stands for an empty response, and no content at
     * all for no initial response (the mechanism then challenges first).
     */
    private byte[] decode(Element element) {
        String text = element.getTextTrim();
        if (text.isEmpty()) {
            return null;
        }
        if ("=".equals(text)) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            mechanism = null;
            fail(SaslFailure.INCORRECT_ENCODING, null, null); // RFC 6120 §6.5.2
            return BAD_BASE64;
        }
    }

    /**
     * Runs a step on a worker, the stream paused until its result is applied on the event loop; a
     * step that cannot block (SCRAM's client-final: HMACs only) runs here, without the two hand-offs.
     */
    private void step(SaslMechanism current, Supplier<SaslStep> work) {
        if (!current.nextStepMayBlock()) {
            apply(run(work));
            return;
        }
        connection.pause();
        services.workers().execute(() -> {
            SaslStep step = run(work);
            connection.onLoop(() -> apply(step));
        });
    }

    private static SaslStep run(Supplier<SaslStep> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            log.error("SASL step failed", e);
            return new SaslStep.Failure(SaslFailure.TEMPORARY_AUTH_FAILURE, null);
        }
    }

    private void apply(SaslStep step) {
        if (!connection.isOpen()) {
            return;
        }
        if (step instanceof SaslStep.Challenge c) {
            connection.write(StreamText.sasl("challenge", encode(c.data())));
            connection.resume();
        } else if (step instanceof SaslStep.Success s) {
            succeed(s);
        } else if (step instanceof SaslStep.Failure f) {
            String user = mechanism == null ? null : mechanism.username().orElse(null);
            mechanism = null;
            fail(f.condition(), f.text(), user);
        }
    }

    private void succeed(SaslStep.Success success) {
        String user;
        try {
            user = Usernames.prepare(success.authcid()); // the JID localpart (RFC 7622 §3.3)
        } catch (AccountException e) {
            fail(SaslFailure.NOT_AUTHORIZED, null, success.authcid());
            return;
        }
        mechanism = null;
        AuthThrottle throttle = services.throttle();
        if (throttle.check(user, address()) instanceof AuthThrottle.Decision.Refused) {
            // The same answer whether or not the proof was right: a locked account reveals nothing.
            fail(SaslFailure.TEMPORARY_AUTH_FAILURE, "too many failed attempts; try again later", user);
            return;
        }
        throttle.recordSuccess(user, address());
        // RFC 6120 §6.4.6: success, with additional data (SCRAM's server-final message) if any.
        // An empty array means no additional data: an empty element, not "=".
        byte[] data = success.additionalData();
        connection.writeLater(StreamText.sasl("success", data == null || data.length == 0 ? null : encode(data)));
        connection.restartStream();
        connection.authenticated(user);
        connection.channel().flush();
        connection.resume();
    }

    private void fail(SaslFailure condition, String text, String user) {
        connection.pause();
        SaslFailure answer = condition;
        if (condition == SaslFailure.NOT_AUTHORIZED || condition == SaslFailure.ACCOUNT_DISABLED) {
            AuthThrottle throttle = services.throttle();
            throttle.recordFailure(user, address());
        }
        if (condition == SaslFailure.NOT_AUTHORIZED
                && services.throttle().check(user, address()) instanceof AuthThrottle.Decision.Refused) {
            answer = SaslFailure.TEMPORARY_AUTH_FAILURE;
        }
        failures++;
        Duration delay = condition == SaslFailure.ABORTED ? Duration.ZERO : services.throttle().failureDelay(user, address());
        String element = StreamText.saslFailure(answer.elementName(), text);
        boolean last = failures >= maxFailures;
        connection.channel().eventLoop().schedule(() -> {
            if (!connection.isOpen()) {
                return;
            }
            connection.write(element);
            if (last) {
                // RFC 6120 §6.4.5: too many retries close the stream, with policy-violation.
                connection.closeWithError(StreamError.Condition.policy_violation, "too many failed authentication attempts");
            } else {
                connection.resume();
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private InetAddress address() {
        return connection.remoteAddress().getAddress();
    }

    private static String encode(byte[] data) {
        if (data == null) {
            return null;
        }
        return data.length == 0 ? "=" : Base64.getEncoder().encodeToString(data);
    }
}
