package im.tongyou.server.feature.muc;

import java.util.Locale;

/**
 * A user's long-lived affiliation with a room (XEP-0045 §5.2), ordered by rank: an outcast is below
 * an unaffiliated user, an owner is above everyone.
 */
enum Affiliation {
    OUTCAST, NONE, MEMBER, ADMIN, OWNER;

    /** The attribute value, for example {@code owner}. */
    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this affiliation ranks at least as high as {@code other}. */
    boolean atLeast(Affiliation other) {
        return compareTo(other) >= 0;
    }

    /** Admins and owners: they hold the room's administrative privileges. */
    boolean isAdminOrOwner() {
        return this == ADMIN || this == OWNER;
    }

    /** The affiliation an attribute names, or {@code null} when it names none. */
    static Affiliation parse(String value) {
        if (value == null) {
            return null;
        }
        for (Affiliation a : values()) {
            if (a.value().equals(value)) {
                return a;
            }
        }
        return null;
    }
}
