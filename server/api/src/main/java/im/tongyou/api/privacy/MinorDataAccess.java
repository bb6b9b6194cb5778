package im.tongyou.api.privacy;

import im.tongyou.api.StanzaErrorException;

/**
 * Staff access to minors' data by approval ticket (privacy requirements R-CHD-7; 儿童个人信息网络保护规定
 * art. 15; 未成年人网络保护条例 for every user under 18): a staff member reads named data of one minor
 * only with a ticket that someone else approved for them, for those fields, a purpose and a time.
 * The consent plugin provides it; features that show staff a user's data find it with
 * {@code PluginContext.find} and, while none runs, show a minor's data to no one.
 */
public interface MinorDataAccess {

    /** The ticket field that covers the content of a user's rights requests (what a correction asks). */
    String RIGHTS_REQUESTS = "rights-requests";

    /** Whether the user is a minor (under 18) or a child's account (waiting for or with a guardian). */
    boolean isMinor(String username);

    /**
     * Checks that the ticket lets this staff member read this field of the subject now, and returns
     * the ticket's purpose; the caller writes the read to the audit trail.
     *
     * @throws StanzaErrorException {@code forbidden} without such a ticket (missing, someone else's,
     *                              another subject's, without the field, expired)
     */
    String authorise(String staffBareJid, String subject, String ticketId, String field) throws StanzaErrorException;
}
