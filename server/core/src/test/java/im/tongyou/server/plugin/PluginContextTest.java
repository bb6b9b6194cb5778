package im.tongyou.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Phase;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.Verdict;
import im.tongyou.server.routing.CommandRegistry;
import im.tongyou.server.routing.DiscoRegistry;
import im.tongyou.server.routing.InterceptorChain;
import im.tongyou.server.privacy.SubjectDataRegistry;
import im.tongyou.server.routing.IqRoutes;
import im.tongyou.server.routing.StreamFeatures;
import im.tongyou.server.routing.UnauthenticatedIqRoutes;
import im.tongyou.server.session.SessionEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Message;

/** What a plugin registers is undone when it stops, without any code of its own. */
class PluginContextTest {

    ExecutorService workers = Executors.newFixedThreadPool(2);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    IqRoutes iqRoutes = new IqRoutes();
    InterceptorChain<Message> messages = new InterceptorChain<>();
    DiscoRegistry disco = new DiscoRegistry();
    CoreServices core = new CoreServices("example.net", null, Clock.systemUTC(), workers, timer, null, null, null,
            new SessionEvents(), null, iqRoutes, messages, new InterceptorChain<>(), new InterceptorChain<>(), disco,
            new StreamFeatures(), new UnauthenticatedIqRoutes(), new SubjectDataRegistry(), null, Set.of(),
            new im.tongyou.server.routing.Services(), new im.tongyou.server.http.HttpRoutes(),
            new CommandRegistry(), null, null, () -> null, null,
            new im.tongyou.server.privacy.RetentionRegistry(Clock.systemUTC()));
    AtomicInteger ticks = new AtomicInteger();

    interface Greeter {
        String greet();
    }

    final class Everything implements Plugin {
        @Override
        public String id() {
            return "everything";
        }

        @Override
        public Set<Class<?>> provides() {
            return Set.of(Greeter.class);
        }

        @Override
        public void start(PluginContext ctx) {
            ctx.onIq(IqRoute.get(IqTarget.SERVER, "urn:example", "q"), IQ::createResultIQ);
            ctx.onMessage(Phase.PRE_ROUTE, 0, m -> Verdict.DROP);
            ctx.addFeature(DiscoScope.SERVER, "urn:example");
            ctx.executor().every(Duration.ofMillis(10), ticks::incrementAndGet);
            ctx.provide(Greeter.class, () -> "hello");
        }
    }

    final class Consumer implements Plugin {
        String heard;

        @Override
        public String id() {
            return "consumer";
        }

        @Override
        public Set<Class<?>> requires() {
            return Set.of(Greeter.class);
        }

        @Override
        public void start(PluginContext ctx) {
            heard = ctx.require(Greeter.class).greet();
        }
    }

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void stoppingUndoesEveryRegistration() throws Exception {
        PluginManager manager = new PluginManager(core, null);
        Consumer consumer = new Consumer();
        manager.start(List.of(consumer, new Everything()));

        assertThat(consumer.heard).isEqualTo("hello");
        assertThat(manager.running()).containsExactly("everything", "consumer");
        assertThat(iqRoutes.find(IQ.Type.get, IqTarget.SERVER, "urn:example", "q")).isNotNull();
        assertThat(messages.isEmpty(Phase.PRE_ROUTE)).isFalse();
        assertThat(disco.features(DiscoScope.SERVER)).contains("urn:example");
        Thread.sleep(100);
        assertThat(ticks.get()).isPositive();

        manager.close();
        int ticksAtStop = ticks.get();
        Thread.sleep(100);

        assertThat(iqRoutes.find(IQ.Type.get, IqTarget.SERVER, "urn:example", "q")).isNull();
        assertThat(messages.isEmpty(Phase.PRE_ROUTE)).isTrue();
        assertThat(disco.features(DiscoScope.SERVER)).doesNotContain("urn:example");
        assertThat(ticks.get()).isLessThanOrEqualTo(ticksAtStop + 1); // at most one tick already under way
        assertThat(manager.running()).isEmpty();
    }

    @Test
    void aFailingPluginStopsTheOthersAndNamesItself() {
        PluginManager manager = new PluginManager(core, null);
        Plugin broken = new Plugin() {
            @Override
            public String id() {
                return "broken";
            }

            @Override
            public void start(PluginContext ctx) {
                throw new IllegalStateException("no coffee");
            }
        };

        assertThatThrownBy(() -> manager.start(List.of(new Everything(), broken)))
                .hasMessage("plugin 'broken' failed to start: no coffee");
        assertThat(iqRoutes.find(IQ.Type.get, IqTarget.SERVER, "urn:example", "q")).isNull();
        assertThat(manager.running()).isEmpty();
    }

    @Test
    void twoPluginsCannotHandleTheSameRoute() {
        IqRoute route = IqRoute.get(IqTarget.SERVER, "urn:example", "q");
        iqRoutes.add(route, "first", IQ::createResultIQ);

        assertThatThrownBy(() -> iqRoutes.add(route, "second", IQ::createResultIQ))
                .hasMessageContaining("plugin 'second'").hasMessageContaining("plugin 'first' already does");
    }
}
