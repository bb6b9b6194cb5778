package im.tongyou.api.push;

/**
 * The push providers of the built-in XEP-0357 app server, offered by the push feature to provider
 * plugins ({@code requires()} this API, then {@code ctx.require(PushProviders.class).add(...)} in
 * {@code start}). Plugins stop only when the server stops, so a provider is never removed.
 */
public interface PushProviders {

    /** Adds a provider; its name must be new. */
    void add(PushProvider provider);
}
