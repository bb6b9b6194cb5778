package im.tongyou.server.net;

import im.tongyou.server.auth.AuthThrottle;
import im.tongyou.server.auth.SaslMechanisms;
import im.tongyou.server.routing.StanzaRouter;
import im.tongyou.server.routing.StreamFeatures;
import im.tongyou.server.routing.UnauthenticatedIqRoutes;
import im.tongyou.server.session.SessionEvents;
import im.tongyou.server.session.SessionLifecycle;
import im.tongyou.server.session.SessionRegistry;
import java.time.Clock;
import java.util.concurrent.ExecutorService;

/**
 * The server services every client connection uses.
 *
 * @param sessions the bound sessions
 * @param events   session event listeners
 * @param router   the stanza router
 * @param sasl     the SASL mechanisms offered, and a fresh exchange for each
 * @param throttle the failed-login limiter
 * @param workers  the worker pool for blocking work
 * @param clock    the server clock
 * @param features stream features added by plugins
 * @param unauthenticatedIqs handlers of IQs before authentication (XEP-0077)
 * @param lifecycle how sessions end or wait to be resumed (XEP-0198)
 */
public record C2sServices(SessionRegistry sessions, SessionEvents events, StanzaRouter router,
                          SaslMechanisms sasl, AuthThrottle throttle, ExecutorService workers, Clock clock,
                          StreamFeatures features, UnauthenticatedIqRoutes unauthenticatedIqs,
                          SessionLifecycle lifecycle) {
}
