package im.tongyou.server.session;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one session's tasks one after another, in submission order, on a shared worker pool (design
 * guide §3: blocking work leaves the event loop but keeps the order of a session's stanzas). A burst
 * is run in batches so that one busy session cannot hold a worker for ever.
 */
public final class SerialExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    private static final int BATCH = 64;
    /** The executor whose task the current thread runs, if any. */
    private static final ThreadLocal<SerialExecutor> CURRENT = new ThreadLocal<>();

    private final Executor pool;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** Tasks queued or running; the submitter that moves it from 0 schedules the drain. */
    private final AtomicInteger pending = new AtomicInteger();

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        queue.add(task);
        if (pending.getAndIncrement() == 0) {
            pool.execute(this::drain);
        }
    }

    /** Whether the calling thread is running one of this executor's tasks. */
    public boolean isCurrent() {
        return CURRENT.get() == this;
    }

    /** Tasks submitted and not yet finished. */
    public int pending() {
        return pending.get();
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Runnable task = queue.poll();
            CURRENT.set(this);
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.error("a session task failed", e);
            } finally {
                CURRENT.remove();
            }
            if (pending.decrementAndGet() == 0) {
                return;
            }
        }
        pool.execute(this::drain);
    }
}
