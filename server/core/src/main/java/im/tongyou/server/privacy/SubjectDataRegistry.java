package im.tongyou.server.privacy;

import im.tongyou.api.privacy.SubjectDataProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every registered {@link SubjectDataProvider}: account removal erases through all of them (newest
 * first, so the core's own account store, registered first, goes last) and export asks each.
 */
public final class SubjectDataRegistry {

    private static final Logger log = LoggerFactory.getLogger(SubjectDataRegistry.class);

    private final List<SubjectDataProvider> providers = new CopyOnWriteArrayList<>();
    private final Map<SubjectDataProvider, String> owners = new java.util.concurrent.ConcurrentHashMap<>();

    /** Adds one of the core's own providers; the returned handle removes it. */
    public AutoCloseable add(SubjectDataProvider provider) {
        return add(provider, "core");
    }

    /** Adds a provider registered by a plugin (its id), or the core; the returned handle removes it. */
    public synchronized AutoCloseable add(SubjectDataProvider provider, String owner) {
        for (SubjectDataProvider p : providers) {
            if (p.name().equals(provider.name())) {
                throw new IllegalStateException("two stores of personal data are named '" + provider.name() + "'");
            }
        }
        providers.add(provider);
        owners.put(provider, owner);
        return () -> {
            providers.remove(provider);
            owners.remove(provider);
        };
    }

    /** Who registered the provider: a plugin id, or {@code core}. */
    public String owner(SubjectDataProvider provider) {
        return owners.getOrDefault(provider, "core");
    }

    /** The providers, in registration order. */
    public List<SubjectDataProvider> providers() {
        return List.copyOf(providers);
    }

    /**
     * Erases the user's data from every store, newest provider first. Every store is tried; if any
     * fails, the first failure is thrown after the others ran (erasers are idempotent, so the whole
     * erasure can simply be run again).
     */
    public void eraseAll(String username) {
        List<SubjectDataProvider> order = new ArrayList<>(providers);
        Collections.reverse(order);
        RuntimeException first = null;
        for (SubjectDataProvider provider : order) {
            try {
                provider.erase(username);
            } catch (RuntimeException e) {
                log.error("erasing the data of an account from store '{}' failed", provider.name(), e);
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * The user's XEP-0227 {@code <user/>} element (namespace {@link PortableFormat#NS}), with every
     * store's part, in registration order.
     */
    public org.dom4j.Element exportPortable(String username) {
        org.dom4j.Element user = org.dom4j.DocumentHelper.createElement(
                org.dom4j.QName.get("user", PortableFormat.NS));
        user.addAttribute("name", username);
        for (SubjectDataProvider provider : providers) {
            provider.exportPortable(username, user);
        }
        return user;
    }

    /** Hands a XEP-0227 {@code <user/>} element to every store, in registration order. */
    public void importPortable(String username, org.dom4j.Element user) {
        for (SubjectDataProvider provider : providers) {
            provider.importPortable(username, user);
        }
    }

    /** Every store's export for the user, by store name, in registration order. */
    public Map<String, Object> exportAll(String username) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (SubjectDataProvider provider : providers) {
            all.put(provider.name(), provider.export(username));
        }
        return all;
    }
}
