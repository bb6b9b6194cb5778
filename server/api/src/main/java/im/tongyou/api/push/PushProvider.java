package im.tongyou.api.push;

/**
 * Sends a notification to a device through a platform's push service (JPush, APNs, FCM, ...), for
 * the server's built-in XEP-0357 app server. A provider plugin adds its provider with
 * {@link PushProviders#add}; a device registers with the app server naming the provider and its
 * token (xeps/tongyou-push.md). Providers run on worker threads and may block on the network.
 */
public interface PushProvider {

    /** The name devices register with, for example {@code fcm}; lower case letters, digits and dashes. */
    String name();

    /**
     * Delivers one notification.
     *
     * @throws Exception when the push service refused it or could not be reached; a provider that
     *                   learns that the token is no longer valid throws {@link InvalidTokenException}
     *                   so that the device's registration is removed
     */
    void deliver(PushNotification notification) throws Exception;

    /** The push service says the device's token is no longer valid. */
    final class InvalidTokenException extends Exception {
        public InvalidTokenException(String message) {
            super(message);
        }
    }
}
