package im.tongyou.server.feature.muc;

import java.util.Locale;

/** An occupant's role in a room (XEP-0045 §5.1), from the absence of one to moderator. */
enum Role {
    NONE, VISITOR, PARTICIPANT, MODERATOR;

    /** The attribute value, for example {@code participant}. */
    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this role is at least {@code other}. */
    boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    /** The role an attribute names, or {@code null} when it names none. */
    static Role parse(String value) {
        if (value == null) {
            return null;
        }
        for (Role r : values()) {
            if (r.value().equals(value)) {
                return r;
            }
        }
        return null;
    }
}
