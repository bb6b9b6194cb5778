package im.tongyou.server.net;

import im.tongyou.server.auth.AuthThrottle;
import im.tongyou.server.auth.SaslMechanisms;
import im.tongyou.server.auth.SaslSettings;
import im.tongyou.server.auth.ScramServerMechanism;
import im.tongyou.server.auth.StoredCredentials;
import im.tongyou.server.auth.UnknownUserDecoys;
import im.tongyou.server.routing.InterceptorChain;
import im.tongyou.server.routing.IqRoutes;
import im.tongyou.server.routing.PendingRequests;
import im.tongyou.server.routing.Services;
import im.tongyou.server.routing.StanzaRouter;
import im.tongyou.server.routing.StreamFeatures;
import im.tongyou.server.routing.UnauthenticatedIqRoutes;
import im.tongyou.server.session.SessionEvents;
import im.tongyou.server.session.SessionLifecycle;
import im.tongyou.server.session.SessionRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** The core services a client stream needs (sessions, router, SASL, throttle), without plugins, for tests of the stream layer. */
public final class TestC2sServices {

    private TestC2sServices() {
    }

    /**
     * @param users       the accounts that exist, each with the same credentials
     * @param timer       runs the router's and the sessions' timeouts
     * @param workers     runs SASL steps
     */
    public static C2sServices create(String domain, SessionRegistry sessions, Set<String> users,
                                     StoredCredentials credentials, UnknownUserDecoys decoys,
                                     ScheduledExecutorService timer, ExecutorService workers) {
        Clock clock = Clock.systemUTC();
        SessionEvents events = new SessionEvents();
        StanzaRouter router = new StanzaRouter(domain, sessions, users::contains, new InterceptorChain<>(),
                new InterceptorChain<>(), new InterceptorChain<>(), new IqRoutes(), new PendingRequests(timer),
                new Services());
        SaslSettings sasl = new SaslSettings(
                user -> users.contains(user) ? Optional.of(credentials) : Optional.empty(),
                decoys, domain, ScramServerMechanism.randomNonces(new SecureRandom()));
        return new C2sServices(sessions, events, router, new SaslMechanisms(SaslMechanisms.SUPPORTED, sasl),
                new AuthThrottle(AuthThrottle.Limits.of(5, 20, Duration.ofMinutes(5)), clock),
                workers, clock, new StreamFeatures(), new UnauthenticatedIqRoutes(),
                new SessionLifecycle(sessions, events, router, timer, clock, 60, () -> { }));
    }
}
