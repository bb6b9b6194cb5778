package im.tongyou.api.sms;

/**
 * Sends text messages to phone numbers: the SMS provider, a processor of personal data
 * (privacy requirements F01). The server's default appends to a development outbox file in the
 * data directory; a deployment replaces it with a plugin that provides this interface.
 */
@FunctionalInterface
public interface SmsGateway {

    /**
     * Sends one message. Blocking: call it from a handler or the plugin executor.
     *
     * @param e164Number the recipient in E.164 form, for example {@code +8613800138000}
     * @param text       the message text
     * @throws SmsException when the message could not be handed to the provider
     */
    void send(String e164Number, String text) throws SmsException;
}
