package im.tongyou.api.commands;

import java.util.List;
import java.util.Optional;

/** The ad-hoc commands (XEP-0050) that the running plugins registered. */
public interface AdHocCommands {

    /** Every registered command, ordered by node. */
    List<AdHocCommand> all();

    /** The command with this node. */
    Optional<AdHocCommand> find(String node);
}
