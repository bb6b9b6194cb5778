package im.tongyou.api;

/** An account operation was refused; the message says why and is safe to show to the user. */
public class AccountException extends Exception {

    /** Why an account operation was refused. */
    public enum Reason { INVALID_USERNAME, USERNAME_TAKEN, WEAK_PASSWORD, NO_SUCH_ACCOUNT }

    private final Reason reason;

    public AccountException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
