package im.tongyou.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens many streams with at most {@code concurrency} negotiations in flight and waits for all of
 * them to be ready (or registered), failed, or for the deadline. Failure reasons are counted.
 */
final class Batch implements XmppClient.Listener {
    private final Net net;
    private final Semaphore slots;
    private final int concurrency;
    private final XmppClient.Listener inner;
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final Map<String, AtomicInteger> reasons = new ConcurrentHashMap<>();
    final List<XmppClient> clients = new ArrayList<>();

    Batch(Net net, int concurrency, XmppClient.Listener inner) {
        this.net = net;
        this.concurrency = concurrency;
        this.slots = new Semaphore(concurrency);
        this.inner = inner;
    }

    /** Connects users {@code from} to {@code from + count - 1}; returns the seconds it took. */
    double run(int from, int count, XmppClient.Goal goal, boolean presence, long timeoutSeconds) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (int i = 0; i < count; i++) {
            if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            clients.add(net.connect(from + i, goal, presence, this, i));
        }
        slots.tryAcquire(concurrency, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return (System.nanoTime() - start) / 1e9;
    }

    private synchronized boolean settle(XmppClient c) {
        if (c.settled) {
            return false;
        }
        c.settled = true;
        return true;
    }

    @Override
    public void ready(XmppClient c) {
        if (settle(c)) {
            ok.incrementAndGet();
            slots.release();
        }
        inner.ready(c);
    }

    @Override
    public void registered(XmppClient c, boolean wasCreated) {
        if (settle(c)) {
            ok.incrementAndGet();
            if (wasCreated) {
                created.incrementAndGet();
            }
            slots.release();
        }
    }

    @Override
    public void failed(XmppClient c, String why) {
        if (settle(c)) {
            failed.incrementAndGet();
            reasons.computeIfAbsent(why.length() > 80 ? why.substring(0, 80) : why, k -> new AtomicInteger()).incrementAndGet();
            slots.release();
        }
        inner.failed(c, why);
    }

    @Override
    public void stanza(XmppClient c, El stanza) {
        inner.stanza(c, stanza);
    }

    /** Clients that reached READY and are still connected. */
    List<XmppClient> open() {
        List<XmppClient> out = new ArrayList<>();
        for (XmppClient c : clients) {
            if (c.isOpen() && c.jid != null) {
                out.add(c);
            }
        }
        return out;
    }
}
