package im.tongyou.server.feature.adhoc;

import im.tongyou.api.DiscoIdentity;
import im.tongyou.api.DiscoItem;
import im.tongyou.api.DiscoNodeHandler;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.AdHocCommand;
import im.tongyou.api.commands.AdHocCommands;
import java.util.List;
import java.util.Optional;
import org.xmpp.packet.JID;

/**
 * Service discovery of the commands (XEP-0050 §2.2, §2.3): the items of the fixed node
 * {@code http://jabber.org/protocol/commands} are the commands the requester may execute, and each
 * command's node has the identity automation/command-node. "If the command is not available to the
 * requester, the responder SHOULD respond with a 403 Forbidden error."
 */
final class AdHocDiscoNodes implements DiscoNodeHandler {

    private final AdHocCommands commands;
    private final JID server;

    AdHocDiscoNodes(AdHocCommands commands, String domain) {
        this.commands = commands;
        this.server = new JID(null, domain, null, true);
    }

    @Override
    public Optional<Info> info(JID requester, String node) throws StanzaErrorException {
        if (AdHocElement.NS.equals(node)) {
            return Optional.of(new Info(List.of(new DiscoIdentity("automation", "command-list", "Commands")),
                    List.of(AdHocElement.NS)));
        }
        Optional<AdHocCommand> command = commands.find(node);
        if (command.isEmpty()) {
            return Optional.empty();
        }
        if (!command.get().isAllowed(requester)) {
            throw StanzaErrorException.forbidden("you may not execute this command");
        }
        return Optional.of(new Info(List.of(new DiscoIdentity("automation", "command-node", command.get().name())),
                List.of(AdHocElement.NS, AdHocElement.DATA)));
    }

    @Override
    public Optional<List<DiscoItem>> items(JID requester, String node) {
        if (AdHocElement.NS.equals(node)) {
            return Optional.of(commands.all().stream().filter(c -> c.isAllowed(requester))
                    .map(c -> new DiscoItem(server, c.node(), c.name())).toList());
        }
        if (commands.find(node).isPresent()) {
            return Optional.of(List.of()); // a command node has no items
        }
        return Optional.empty();
    }
}
