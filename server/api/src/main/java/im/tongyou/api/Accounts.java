package im.tongyou.api;

import java.util.List;

/**
 * The accounts of this server. Every method may block on the database: call it from a handler or
 * the plugin executor, never from an event loop.
 */
public interface Accounts {

    /** Whether an account with this username exists (disabled accounts included). */
    boolean exists(String username);

    /**
     * Creates an account; the password is kept only as SCRAM keys.
     *
     * @throws AccountException when the name is invalid or taken, or the password too short
     */
    void create(String username, char[] password) throws AccountException;

    /** Replaces the password. @throws AccountException when there is no such account */
    void setPassword(String username, char[] password) throws AccountException;

    /**
     * Cancels the account (注销, privacy requirements R-DSR-4, AC-13): it moves to
     * {@link AccountState#CANCELLED} and its sessions end and logins are refused at once; then its
     * data is erased from every store of personal data by a job that resumes after a restart, the
     * user's data key is destroyed, and the name is never given out again. Returns false when there
     * was no such account (or it was cancelled already).
     */
    boolean delete(String username);

    /**
     * Cancels the account like {@link #delete}, naming who asked in the audit trail: the user
     * ({@code self}), an administrator ({@code admin:<bare JID>}), the system.
     */
    default boolean cancel(String username, String actor) {
        return delete(username);
    }

    /**
     * Whether a new account may take this name: no account has it, and no cancelled account ever
     * had it (a cancelled address is never given out again).
     */
    default boolean nameAvailable(String username) {
        return !exists(username);
    }

    /**
     * Whether the password is the account's (checked against the stored SCRAM keys; slow on
     * purpose). False for a missing, disabled or cancelled account.
     */
    default boolean checkPassword(String username, char[] password) {
        return false;
    }

    /** Disables or enables an account; a disabled account cannot log in and its sessions end. */
    void setEnabled(String username, boolean enabled) throws AccountException;

    /** Whether the account exists and is enabled. */
    boolean isEnabled(String username);

    /** The account's life stage, or {@code null} when there is no such account. */
    AccountState state(String username);

    /**
     * Moves an account to another life stage. Moving to {@link AccountState#CANCELLED} ends its
     * sessions and refuses logins at once; it cannot be undone.
     *
     * @throws AccountException when there is no such account, or it is cancelled already
     */
    void setState(String username, AccountState state) throws AccountException;

    /** Usernames in order, for paging. */
    List<String> list(int offset, int limit);

    /** The number of accounts. */
    long count();
}
