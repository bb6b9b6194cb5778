package im.tongyou.server.routing;

import im.tongyou.api.commands.AdHocCommand;
import im.tongyou.api.commands.AdHocCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** The ad-hoc commands (XEP-0050) the plugins offer, by node; a node belongs to one command. */
public final class CommandRegistry implements AdHocCommands {

    private final ConcurrentSkipListMap<String, AdHocCommand> commands = new ConcurrentSkipListMap<>();

    /**
     * Adds a command; the returned handle removes it.
     *
     * @throws IllegalStateException when another command has the node
     */
    public AutoCloseable add(AdHocCommand command, String owner) {
        String node = command.node();
        if (node == null || node.isEmpty()) {
            throw new IllegalArgumentException("plugin '" + owner + "' offers a command without a node");
        }
        if (commands.putIfAbsent(node, command) != null) {
            throw new IllegalStateException("plugin '" + owner + "' cannot offer command " + node
                    + ": another command has that node");
        }
        return () -> commands.remove(node, command);
    }

    @Override
    public List<AdHocCommand> all() {
        return new ArrayList<>(commands.values());
    }

    @Override
    public Optional<AdHocCommand> find(String node) {
        return node == null ? Optional.empty() : Optional.ofNullable(commands.get(node));
    }
}
