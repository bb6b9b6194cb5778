package im.tongyou.api.commands;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.xmpp.forms.DataForm;

/** What a stage of an ad-hoc command (XEP-0050 §3.4) answers: another stage, or the end. */
public sealed interface CommandResult {

    /**
     * The session goes on with a form to fill (status {@code executing}). The framework adds
     * {@code prev} when there is an earlier stage to go back to.
     *
     * @param form          the form for the requester
     * @param actions       the allowed actions among {@link CommandAction#NEXT} and {@link CommandAction#COMPLETE}
     * @param defaultAction what {@code execute} means at this stage (one of {@code actions})
     * @param notes         notes to show with the form
     */
    record Executing(DataForm form, Set<CommandAction> actions, CommandAction defaultAction, List<CommandNote> notes)
            implements CommandResult {
        public Executing {
            Objects.requireNonNull(form, "form");
            actions = Set.copyOf(actions);
            notes = List.copyOf(notes);
            if (actions.isEmpty() || !actions.contains(defaultAction)
                    || !EnumSet.of(CommandAction.NEXT, CommandAction.COMPLETE).containsAll(actions)) {
                throw new IllegalArgumentException("a stage allows next and/or complete, and its default is one of them");
            }
        }
    }

    /**
     * The session ended (status {@code completed}); a failure carries an error note (XEP-0050 §4.4).
     *
     * @param form  a result form, or {@code null}
     * @param notes notes for the requester
     */
    record Completed(DataForm form, List<CommandNote> notes) implements CommandResult {
        public Completed {
            notes = List.copyOf(notes);
        }
    }

    /** The last stage: a form whose submission completes the command. */
    static Executing lastStage(DataForm form) {
        return new Executing(form, Set.of(CommandAction.COMPLETE), CommandAction.COMPLETE, List.of());
    }

    /** A stage followed by others. */
    static Executing nextStage(DataForm form) {
        return new Executing(form, Set.of(CommandAction.NEXT), CommandAction.NEXT, List.of());
    }

    /** Done, with an optional result form and notes. */
    static Completed completed(DataForm form, CommandNote... notes) {
        return new Completed(form, List.of(notes));
    }

    /** Done, but failed: an error note says why. */
    static Completed failed(String why) {
        return new Completed(null, List.of(CommandNote.error(why)));
    }
}
