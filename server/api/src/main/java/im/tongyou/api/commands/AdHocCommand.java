package im.tongyou.api.commands;

import im.tongyou.api.StanzaErrorException;
import org.xmpp.packet.JID;

/**
 * A command the server offers through ad-hoc commands (XEP-0050), registered with
 * {@link im.tongyou.api.PluginContext#addCommand}. The framework keeps the session (its id, its
 * stages for {@code prev}, its expiry and {@code cancel}); the command answers each stage. Methods
 * run on a worker thread and may block.
 */
public interface AdHocCommand {

    /** The node that identifies the command (XEP-0050 §3.2), for example {@code http://jabber.org/protocol/admin#add-user}. */
    String node();

    /** The human readable name shown in command lists. */
    String name();

    /**
     * Whether the requester may see and execute the command. Others do not find it in the list and
     * get {@code forbidden} when they execute it (XEP-0050 §3.2, §4.6).
     */
    boolean isAllowed(JID requester);

    /**
     * Starts a session: the first form, or the outcome at once.
     *
     * @throws StanzaErrorException an error reply; the session is not created
     */
    CommandResult start(CommandRequest request) throws StanzaErrorException;

    /**
     * Takes a submitted stage. Throwing (for example {@code bad-request} with a {@code bad-payload}
     * condition) leaves the session at the same stage so the requester can submit again.
     */
    CommandResult submit(CommandRequest request) throws StanzaErrorException;
}
