package im.tongyou.api.commands;

import java.util.Map;
import org.xmpp.forms.DataForm;
import org.xmpp.packet.JID;

/**
 * One step of an ad-hoc command session (XEP-0050 §3.4) as a command sees it.
 *
 * @param requester the full JID that executes the command, stamped by the server
 * @param action    {@link CommandAction#EXECUTE} when the session starts; {@link CommandAction#NEXT}
 *                  or {@link CommandAction#COMPLETE} when a stage is submitted (the framework resolves
 *                  {@code execute} to the stage's default action and answers {@code prev} and
 *                  {@code cancel} itself)
 * @param stage     the index of the stage being submitted, 0 for the first form shown (and 0 at start)
 * @param form      the submitted data form, or {@code null} (always at start)
 * @param data      values the command keeps between the stages of this session
 */
public record CommandRequest(JID requester, CommandAction action, int stage, DataForm form,
                             Map<String, Object> data) {
}
