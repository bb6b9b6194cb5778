package im.tongyou.api.commands;

import java.util.Locale;
import java.util.Objects;

/**
 * A note of an ad-hoc command's response (XEP-0050 §6.5): a command that completes but fails
 * carries at least one of type {@link Type#ERROR}.
 *
 * @param type the severity
 * @param text a human readable text
 */
public record CommandNote(Type type, String text) {

    /** The severity of a note. */
    public enum Type {
        INFO, WARN, ERROR;

        public String toXmpp() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public CommandNote {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(text, "text");
    }

    public static CommandNote info(String text) {
        return new CommandNote(Type.INFO, text);
    }

    public static CommandNote error(String text) {
        return new CommandNote(Type.ERROR, text);
    }
}
