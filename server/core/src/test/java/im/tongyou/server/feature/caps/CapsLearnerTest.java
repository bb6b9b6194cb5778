package im.tongyou.server.feature.caps;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.PluginExecutor;
import im.tongyou.api.Router;
import im.tongyou.api.SessionEvent;
import im.tongyou.server.feature.FakeSession;
import im.tongyou.server.feature.FakeSessions;
import im.tongyou.server.feature.FeatureDatabase;
import im.tongyou.server.feature.StoredXml;
import im.tongyou.server.feature.TestClock;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/** Learning clients' capabilities: ask once per string, verify (XEP-0115 §5.4), cache, share. */
class CapsLearnerTest {

    static final String EXODUS_VER = "QgayPKawpkPSDYmwT/WM94uAlu0=";

    @TempDir
    Path dir;
    FeatureDatabase db;
    CapsStore store;
    FakeSessions sessions = new FakeSessions();
    List<IQ> asked = new ArrayList<>();
    List<CompletableFuture<IQ>> answers = new ArrayList<>();
    CapsLearner learner;

    /** A router that keeps the server's requests for the test to answer. */
    final class RecordingRouter implements Router {
        @Override
        public void route(Packet stanza) {
        }

        @Override
        public CompletionStage<IQ> request(IQ request, Duration timeout) {
            asked.add(request);
            CompletableFuture<IQ> f = new CompletableFuture<>();
            answers.add(f);
            return f;
        }
    }

    /** Runs tasks at once. */
    static final class DirectExecutor implements PluginExecutor {
        @Override
        public Future<?> execute(Runnable task) {
            task.run();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public Future<?> schedule(Runnable task, Duration delay) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<?> every(Duration period, Runnable task) {
            throw new UnsupportedOperationException();
        }
    }

    @BeforeEach
    void open() {
        TestClock clock = new TestClock(Instant.parse("2026-11-29T08:00:00Z"));
        db = FeatureDatabase.open(TestDatabases.Kind.H2, dir, clock, "im/tongyou/server/feature/caps/changelog.xml");
        store = new CapsStore(db.dataSource(), clock);
        learner = newLearner();
    }

    CapsLearner newLearner() {
        return new CapsLearner(new CapsCache(store, 10), sessions, new RecordingRouter(), new DirectExecutor(),
                Duration.ofSeconds(5), 2);
    }

    @AfterEach
    void close() {
        db.close();
    }

    void present(FakeSession session, String hash, String ver) {
        Presence p = session.available(0);
        Element c = p.getElement().addElement("c", CapsElement.NS).addAttribute("node", "http://code.google.com/p/exodus")
                .addAttribute("ver", ver);
        if (hash != null) {
            c.addAttribute("hash", hash);
        }
        learner.onSessionEvent(new SessionEvent.PresenceChanged(session, p, true));
    }

    static IQ answer(IQ request, String query) {
        IQ reply = IQ.createResultIQ(request);
        reply.setChildElement(StoredXml.parse(query));
        return reply;
    }

    @Test
    void anUnknownStringIsAskedVerifiedCachedAndSharedWithOtherClients() {
        FakeSession first = sessions.bind("romeo@tongyou.example/orchard");
        present(first, "sha-1", EXODUS_VER);

        assertThat(asked).singleElement().satisfies(iq -> {
            assertThat(iq.getTo()).isEqualTo(first.jid());
            assertThat(iq.getType()).isEqualTo(IQ.Type.get);
            assertThat(iq.getChildElement().attributeValue("node")).isEqualTo("http://code.google.com/p/exodus#" + EXODUS_VER);
        });
        assertThat(learner.features(first.jid())).isEmpty(); // not known until the answer comes
        answers.get(0).complete(answer(asked.get(0), CapsVerTest.SIMPLE));

        assertThat(learner.features(first.jid())).contains("http://jabber.org/protocol/muc");
        assertThat(learner.supports(first.jid(), "http://jabber.org/protocol/caps")).isTrue();
        assertThat(store.count()).isEqualTo(1);

        FakeSession second = sessions.bind("juliet@tongyou.example/balcony");
        present(second, "sha-1", EXODUS_VER);
        assertThat(asked).hasSize(1);
        assertThat(learner.features(second.jid())).contains("http://jabber.org/protocol/muc");

        // After a restart the string comes from the database: nobody is asked again.
        learner = newLearner();
        FakeSession third = sessions.bind("nurse@tongyou.example/kitchen");
        present(third, "sha-1", EXODUS_VER);
        assertThat(asked).hasSize(1);
        assertThat(learner.features(third.jid())).contains("http://jabber.org/protocol/muc");
    }

    @Test
    void aMismatchIsKeptForThatClientOnlyAndNeverCached() {
        FakeSession liar = sessions.bind("tybalt@tongyou.example/street");
        present(liar, "sha-1", EXODUS_VER);
        answers.get(0).complete(answer(asked.get(0), "<query xmlns='http://jabber.org/protocol/disco#info'>"
                + "<identity category='client' type='pc' name='Exodus 0.9.1'/><feature var='urn:xmpp:jingle:1'/></query>"));

        assertThat(learner.features(liar.jid())).containsExactly("urn:xmpp:jingle:1");
        assertThat(store.count()).isZero();
        FakeSession honest = sessions.bind("romeo@tongyou.example/orchard");
        present(honest, "sha-1", EXODUS_VER);
        assertThat(asked).hasSize(2); // the string is still unknown, so the next client is asked
    }

    @Test
    void anUnsupportedHashIsAskedButUsedForThatClientOnly() {
        FakeSession session = sessions.bind("romeo@tongyou.example/orchard");
        present(session, "md5", "whatever");
        answers.get(0).complete(answer(asked.get(0), CapsVerTest.SIMPLE));

        assertThat(learner.features(session.jid())).contains("http://jabber.org/protocol/muc");
        assertThat(store.count()).isZero();
    }

    @Test
    void theLegacyFormatErrorsTimeoutsAndTheQueryLimitLeaveNothingLearned() {
        FakeSession legacy = sessions.bind("friar@tongyou.example/cell");
        present(legacy, null, "0.9");
        assertThat(asked).isEmpty();

        FakeSession busy = sessions.bind("mercutio@tongyou.example/street");
        present(busy, "sha-1", "a");
        present(busy, "sha-1", "b");
        present(busy, "sha-1", "c"); // beyond two queries per session
        assertThat(asked).hasSize(2);
        answers.get(0).completeExceptionally(new TimeoutException("no reply"));
        IQ error = IQ.createResultIQ(asked.get(1));
        error.setType(IQ.Type.error);
        answers.get(1).complete(error);

        assertThat(learner.features(busy.jid())).isEmpty();
        assertThat(store.count()).isZero();
    }

    @Test
    void aSecondClientWithTheSameStringWaitsForTheFirstAnswer() {
        FakeSession first = sessions.bind("romeo@tongyou.example/orchard");
        FakeSession second = sessions.bind("romeo@tongyou.example/garden");
        present(first, "sha-1", EXODUS_VER);
        present(second, "sha-1", EXODUS_VER);

        assertThat(asked).hasSize(1);
        answers.get(0).complete(answer(asked.get(0), CapsVerTest.SIMPLE));
        assertThat(learner.features(second.jid())).contains("http://jabber.org/protocol/muc");
    }
}
