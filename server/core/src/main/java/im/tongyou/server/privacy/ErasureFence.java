package im.tongyou.server.privacy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The barrier between a cancellation and the erasure (privacy requirements AC-13, R-DSR-4 "the back
 * end must really finish"): from the moment an account is cancelled until its erasure ended, the
 * account is fenced, and the router refuses every stanza addressed to it before any interceptor
 * (archive, offline storage, roster) sees it, whatever sessions of the account are still bound (a
 * detached XEP-0198 session waiting for resumption included). Before the erasure touches the first
 * store, {@link #quiesce} runs the hooks registered with {@link #beforeErasure}: the core's ends
 * every session of the account and waits until each session's executor has run everything the
 * session had queued, so that nothing written on behalf of the account lands after a store was
 * erased. A feature that writes asynchronously (a background archive writer) registers a hook that
 * returns once its pending writes for the account are committed or dropped; plugins find the fence
 * with {@code PluginContext.find(ErasureFence.class)}.
 */
public final class ErasureFence {

    private static final Logger log = LoggerFactory.getLogger(ErasureFence.class);

    private final Set<String> fenced = ConcurrentHashMap.newKeySet();
    private final List<Consumer<String>> hooks = new CopyOnWriteArrayList<>();

    /** Fences the account: nothing is routed to it any more. */
    public void fence(String username) {
        if (username != null) {
            fenced.add(username);
        }
    }

    /** Lifts the fence once the erasure ended (the account no longer exists, so nothing reaches it). */
    public void lift(String username) {
        if (username != null) {
            fenced.remove(username);
        }
    }

    /** Whether the account is cancelled and its erasure has not ended. Lock-free, no database. */
    public boolean isFenced(String username) {
        return username != null && !fenced.isEmpty() && fenced.contains(username);
    }

    /**
     * Registers what must happen before an account's stores are erased; the hook blocks until it is
     * done (bounded). The returned handle removes it.
     */
    public AutoCloseable beforeErasure(Consumer<String> hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Runs every hook for the account; a failing hook is logged and the others still run. */
    void quiesce(String username) {
        for (Consumer<String> hook : hooks) {
            try {
                hook.accept(username);
            } catch (RuntimeException e) {
                log.error("a hook before the erasure of a cancelled account failed", e);
            }
        }
    }
}
