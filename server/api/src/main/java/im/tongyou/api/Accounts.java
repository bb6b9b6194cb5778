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

    /** Deletes the account and closes its sessions; returns false when there was no such account. */
    boolean delete(String username);

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
