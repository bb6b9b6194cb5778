package im.tongyou.api;

import java.util.Objects;

/**
 * A typed key for per-session values a plugin keeps ({@link ClientSession#get(SessionKey)}).
 * Keys compare by identity: create one per use as a constant.
 *
 * @param <T> the value type
 */
public final class SessionKey<T> {

    private final String name;

    private SessionKey(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    public static <T> SessionKey<T> of(String name) {
        return new SessionKey<>(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
