package im.tongyou.server.account;

import im.tongyou.api.AccountException;
import org.xmpp.packet.JID;

/**
 * The rules for account names: a valid JID localpart (RFC 7622 §3.3, prepared with nodeprep) of at
 * most {@value #MAX_LENGTH} characters, so names fit every client's display and the database key.
 */
public final class Usernames {

    /** The longest account name, in characters. */
    public static final int MAX_LENGTH = 64;

    private Usernames() {
    }

    /** Returns the prepared (case-folded) form of a name, or throws saying what is wrong with it. */
    public static String prepare(String username) throws AccountException {
        if (username == null || username.isEmpty()) {
            throw new AccountException(AccountException.Reason.INVALID_USERNAME, "the username is empty");
        }
        String prepared;
        try {
            prepared = JID.nodeprep(username);
        } catch (IllegalArgumentException e) {
            throw new AccountException(AccountException.Reason.INVALID_USERNAME,
                    "the username contains characters a JID localpart cannot have (RFC 7622 §3.3)");
        }
        if (prepared == null || prepared.isEmpty()) {
            throw new AccountException(AccountException.Reason.INVALID_USERNAME, "the username is empty");
        }
        if (prepared.length() > MAX_LENGTH) {
            throw new AccountException(AccountException.Reason.INVALID_USERNAME,
                    "the username is longer than " + MAX_LENGTH + " characters");
        }
        return prepared;
    }
}
