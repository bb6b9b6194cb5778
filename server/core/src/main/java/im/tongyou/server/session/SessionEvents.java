package im.tongyou.server.session;

import im.tongyou.api.SessionEvent;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners to {@link SessionEvent}s; events are delivered on the session's worker, in order. */
public final class SessionEvents {

    private static final Logger log = LoggerFactory.getLogger(SessionEvents.class);

    private final CopyOnWriteArrayList<Consumer<SessionEvent>> listeners = new CopyOnWriteArrayList<>();

    /** Adds a listener; the returned handle removes it. */
    public AutoCloseable add(Consumer<SessionEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Tells every listener, in registration order; one failing listener does not stop the others. */
    public void fire(SessionEvent event) {
        for (Consumer<SessionEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.error("a session listener failed on {}", event.getClass().getSimpleName(), e);
            }
        }
    }
}
