package im.tongyou.server.routing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

/**
 * IQ requests the server sent and whose replies it awaits (RFC 6120 §8.2.3: every get or set gets
 * exactly one result or error with the same id).
 */
public final class PendingRequests {

    private record Pending(JID to, CompletableFuture<IQ> future) {
    }

    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    public PendingRequests(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Remembers a request before it is sent; the future fails with a timeout if no reply comes. */
    public CompletableFuture<IQ> register(IQ request, Duration timeout) {
        CompletableFuture<IQ> future = new CompletableFuture<>();
        String id = request.getID();
        if (pending.putIfAbsent(id, new Pending(request.getTo(), future)) != null) {
            throw new IllegalArgumentException("an IQ with id " + id + " is already pending");
        }
        timer.schedule(() -> {
            if (pending.remove(id) != null) {
                future.completeExceptionally(new TimeoutException("no reply to IQ " + id + " within " + timeout));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return future;
    }

    /**
     * Completes the request a reply answers; returns false when the reply answers no pending request
     * or comes from another entity than the one asked (a forged reply).
     */
    public boolean complete(IQ reply) {
        if (reply.getID() == null) {
            return false; // answers nothing (a bounce of a request that had no id); the map takes no null key
        }
        Pending p = pending.get(reply.getID());
        if (p == null || !answersFrom(p.to(), reply.getFrom())) {
            return false;
        }
        if (pending.remove(reply.getID(), p)) {
            p.future().complete(reply);
        }
        return true;
    }

    private static boolean answersFrom(JID asked, JID from) {
        if (asked == null || from == null) {
            return true;
        }
        // A request to a bare JID is answered by the account (the bare JID) or one of its resources.
        return asked.getResource() == null ? asked.asBareJID().equals(from.asBareJID()) : asked.equals(from);
    }
}
