package im.tongyou.api.push;

import java.util.Objects;

/**
 * A notification for one device, as the XMPP server published it (XEP-0357 §7). Without previews it
 * says only that messages arrived: how many, and an opaque id; the sender and body are present only
 * when the user opted in to previews (xeps/tongyou-push.md). Never log the token or a preview.
 *
 * @param token        the device's token with its push service, as registered
 * @param id           an opaque id of this notification (unique, meaningless to the push service)
 * @param messageCount the messages that arrived since the previous notification to this device
 * @param sender       the last message's sender, or {@code null} without previews
 * @param body         the last message's body, or {@code null} without previews
 */
public record PushNotification(String token, String id, int messageCount, String sender, String body) {

    public PushNotification {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(id, "id");
    }

    /** Whether the notification carries a preview of the last message. */
    public boolean hasPreview() {
        return sender != null || body != null;
    }

    @Override
    public String toString() {
        // Never the token or the preview: records end up in logs.
        return "PushNotification[id=" + id + ", messageCount=" + messageCount + ", preview=" + hasPreview() + "]";
    }
}
