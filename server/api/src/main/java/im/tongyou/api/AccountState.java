package im.tongyou.api;

/**
 * The life stage of an account (privacy requirements R-CHD and R-DSR: minors and cancellation).
 * Whether an administrator disabled the account is separate ({@link Accounts#isEnabled}).
 */
public enum AccountState {
    /** An adult's account, or one whose age is unknown: everything the user consents to is allowed. */
    ACTIVE,
    /**
     * A child under 14 registered, and no guardian has consented yet: nothing but the consent flow
     * is allowed (AC-07), and the account is deleted if no guardian consents in time.
     */
    PENDING_GUARDIAN,
    /** A child under 14 with a guardian's consent: core IM, with ads, marketing, analytics and public posting off (AC-08). */
    ACTIVE_MINOR,
    /**
     * The user cancelled the account: login is refused at once, its data is being or has been
     * erased, and the address is never given out again (AC-13, AC-15).
     */
    CANCELLED
}
