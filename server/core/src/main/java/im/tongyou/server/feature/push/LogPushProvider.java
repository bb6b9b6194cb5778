package im.tongyou.server.feature.push;

import im.tongyou.api.push.PushNotification;
import im.tongyou.api.push.PushProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default push provider: writes each notification to the log instead of a platform's push
 * service, so that the whole path can be tried and tested without one. It writes the notification's
 * id and count, a short hash that tells devices apart, and whether a preview was included — never
 * the token, the sender or the body (design guide §6: no message body is ever logged).
 */
final class LogPushProvider implements PushProvider {

    static final String NAME = "log";
    private static final Logger log = LoggerFactory.getLogger("im.tongyou.push");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void deliver(PushNotification n) {
        log.info("push notification {} to device {}: {} new message(s){}", n.id(), device(n.token()), n.messageCount(),
                n.hasPreview() ? ", with a preview" : "");
    }

    private static String device(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
