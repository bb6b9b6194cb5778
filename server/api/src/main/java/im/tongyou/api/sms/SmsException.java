package im.tongyou.api.sms;

/** An SMS could not be sent; the message never names the number or the text. */
public class SmsException extends Exception {

    public SmsException(String message, Throwable cause) {
        super(message, cause);
    }
}
