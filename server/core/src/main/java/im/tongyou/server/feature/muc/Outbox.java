package im.tongyou.server.feature.muc;

import im.tongyou.api.Router;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xmpp.packet.Packet;

/**
 * A room's outgoing stanzas, queued in the order the room produced them (under its lock) and routed
 * by one thread at a time after the lock is released. Each recipient thus sees a room's stanzas in
 * the order XEP-0045 §7.1 requires, while the room's lock is never held during routing (which could
 * re-enter the service and wait on another room's lock).
 */
final class Outbox {

    private final Router router;
    private final Queue<Packet> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    Outbox(Router router) {
        this.router = router;
    }

    /** Queues a stanza; called with the room's lock held, so the queue order is the room's order. */
    void send(Packet stanza) {
        queue.add(stanza);
    }

    /**
     * Routes everything queued. A thread finding another one draining leaves the work to it; the
     * loop re-checks after releasing the flag so that no stanza is left behind.
     */
    void flush() {
        while (!queue.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                Packet next;
                while ((next = queue.poll()) != null) {
                    router.route(next);
                }
            } finally {
                draining.set(false);
            }
        }
    }
}
