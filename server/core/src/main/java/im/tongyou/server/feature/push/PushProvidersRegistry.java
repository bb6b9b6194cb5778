package im.tongyou.server.feature.push;

import im.tongyou.api.push.PushProvider;
import im.tongyou.api.push.PushProviders;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The push providers of the built-in app server, by name. */
final class PushProvidersRegistry implements PushProviders {

    private final ConcurrentHashMap<String, PushProvider> providers = new ConcurrentHashMap<>();

    @Override
    public void add(PushProvider provider) {
        String name = provider.name();
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new IllegalArgumentException("a push provider's name is lower case letters, digits and dashes");
        }
        if (providers.putIfAbsent(name, provider) != null) {
            throw new IllegalStateException("a push provider named '" + name + "' exists already");
        }
    }

    Optional<PushProvider> get(String name) {
        return Optional.ofNullable(providers.get(name));
    }
}
