package im.tongyou.api;

import java.util.Objects;

/**
 * A service discovery identity (XEP-0030 §3.1), for example {@code server/im}.
 *
 * @param category the identity category from the XMPP registry
 * @param type     the type within the category
 * @param name     a human readable name, or {@code null}
 */
public record DiscoIdentity(String category, String type, String name) {
    public DiscoIdentity {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(type, "type");
    }
}
