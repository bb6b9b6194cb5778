package im.tongyou.api.commands;

import java.util.Locale;

/** The actions of an ad-hoc command request (XEP-0050 §6.3). */
public enum CommandAction {
    EXECUTE, CANCEL, PREV, NEXT, COMPLETE;

    /** The attribute value, for example {@code complete}. */
    public String toXmpp() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an attribute value; {@code null} means {@link #EXECUTE} (XEP-0050 §3.4: "implied"). */
    public static CommandAction fromXmpp(String value) {
        if (value == null) {
            return EXECUTE;
        }
        for (CommandAction action : values()) {
            if (action.toXmpp().equals(value)) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown action " + value);
    }
}
