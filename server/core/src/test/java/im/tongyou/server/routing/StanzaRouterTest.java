package im.tongyou.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Phase;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.Verdict;
import im.tongyou.server.session.Connection;
import im.tongyou.server.session.LocalSession;
import im.tongyou.server.session.SerialExecutor;
import im.tongyou.server.session.SessionRegistry;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;
import org.xmpp.packet.StreamError;

/** The delivery rules of RFC 6120 §10 and RFC 6121 §8, on sessions that record what they are sent. */
class StanzaRouterTest {

    static final String DOMAIN = "example.net";

    /** A connection that keeps what it is sent. */
    static final class Recorder implements Connection {
        final List<Packet> sent = new ArrayList<>();

        @Override
        public synchronized void write(Object stanza) {
            sent.add((Packet) stanza);
        }

        @Override
        public void closeWithError(StreamError.Condition condition, String text) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }
    }

    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    SessionRegistry sessions = new SessionRegistry(DOMAIN);
    InterceptorChain<Message> messages = new InterceptorChain<>();
    InterceptorChain<IQ> iqs = new InterceptorChain<>();
    IqRoutes iqRoutes = new IqRoutes();
    Set<String> accounts = Set.of("romeo", "juliet", "nurse");
    Services services = new Services();
    StanzaRouter router;

    @BeforeEach
    void router() {
        router = new StanzaRouter(DOMAIN, sessions, accounts::contains, messages, new InterceptorChain<>(),
                iqs, iqRoutes, new PendingRequests(timer), services);
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    Recorder online(String user, String resource, Integer priority) {
        Recorder recorder = new Recorder();
        LocalSession session = new LocalSession(new JID(user, DOMAIN, resource), recorder,
                new SerialExecutor(Runnable::run), Instant.EPOCH, null);
        sessions.bind(session, 10);
        if (priority != null) {
            Presence presence = new Presence();
            presence.setPriority(priority);
            session.updatePresence(presence);
        }
        return recorder;
    }

    static Message chat(String from, String to) {
        Message m = new Message();
        m.setType(Message.Type.chat);
        m.setFrom(from);
        m.setTo(to);
        m.setBody("hi");
        return m;
    }

    @Test
    void chatToABareJidGoesToTheHighestPriorityResources() {
        Recorder phone = online("juliet", "phone", 5);
        Recorder laptop = online("juliet", "laptop", 5);
        Recorder tablet = online("juliet", "tablet", 1);
        Recorder romeo = online("romeo", "balcony", 0);

        router.route(chat("romeo@example.net/balcony", "juliet@example.net"));

        assertThat(phone.sent).hasSize(1);
        assertThat(laptop.sent).hasSize(1);
        assertThat(tablet.sent).isEmpty();
        assertThat(romeo.sent).isEmpty();
    }

    @Test
    void headlineGoesToEveryNonNegativeResource() {
        Recorder phone = online("juliet", "phone", 5);
        Recorder tablet = online("juliet", "tablet", 0);
        Recorder hidden = online("juliet", "hidden", -1);
        Message headline = chat("romeo@example.net/balcony", "juliet@example.net");
        headline.setType(Message.Type.headline);

        router.route(headline);

        assertThat(phone.sent).hasSize(1);
        assertThat(tablet.sent).hasSize(1);
        assertThat(hidden.sent).isEmpty();
    }

    @Test
    void chatToAnOfflineUserWithoutOfflineStorageBouncesServiceUnavailable() {
        Recorder romeo = online("romeo", "balcony", 0);
        online("juliet", "hidden", -1); // only a negative priority: treated as offline (RFC 6121 §8.5.2.1)

        router.route(chat("romeo@example.net/balcony", "juliet@example.net"));

        assertThat(romeo.sent).singleElement().satisfies(p -> {
            assertThat(p.getError().getCondition()).isEqualTo(PacketError.Condition.service_unavailable);
            assertThat(p.getFrom().toString()).isEqualTo("juliet@example.net");
        });
    }

    @Test
    void anOfflineInterceptorThatHandlesTheMessagePreventsTheBounce() {
        Recorder romeo = online("romeo", "balcony", 0);
        List<Message> stored = new ArrayList<>();
        messages.add(Phase.OFFLINE, 0, "offline", m -> {
            stored.add(m);
            return Verdict.HANDLED;
        });

        router.route(chat("romeo@example.net/balcony", "juliet@example.net"));

        assertThat(stored).hasSize(1);
        assertThat(romeo.sent).isEmpty();
    }

    @Test
    void aFencedAccountGetsNothingWhateverSessionsAreStillBound() {
        // Juliet cancelled: her erasure runs while her sessions (a detached one among them) still end.
        Recorder phone = online("juliet", "phone", 5);
        Recorder romeo = online("romeo", "balcony", 0);
        List<String> seen = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            messages.add(phase, 0, "archive-and-offline", m -> {
                if ("juliet".equals(m.getTo().getNode())) {
                    seen.add(phase.name());
                }
                return Verdict.CONTINUE;
            });
        }
        router.fence("juliet"::equals);

        router.route(chat("romeo@example.net/balcony", "juliet@example.net/phone"));
        router.redeliver(chat("romeo@example.net/balcony", "juliet@example.net"));

        assertThat(phone.sent).as("nothing reaches her sessions").isEmpty();
        assertThat(seen).as("no interceptor (archive, offline storage) sees a stanza for her").isEmpty();
        assertThat(romeo.sent).hasSize(2).allSatisfy(p ->
                assertThat(p.getError().getCondition()).isEqualTo(PacketError.Condition.service_unavailable));

        router.route(chat("juliet@example.net/phone", "romeo@example.net"));
        assertThat(romeo.sent).as("what she sent before her sessions ended still goes out").hasSize(3);
    }

    @Test
    void anUnknownUserLooksLikeAnOfflineOne() {
        Recorder romeo = online("romeo", "balcony", 0);

        router.route(chat("romeo@example.net/balcony", "tybalt@example.net"));
        router.route(chat("romeo@example.net/balcony", "juliet@example.net"));

        assertThat(romeo.sent).hasSize(2).allSatisfy(p ->
                assertThat(p.getError().getCondition()).isEqualTo(PacketError.Condition.service_unavailable));
    }

    @Test
    void errorsAreNeverAnsweredWithErrors() {
        Recorder romeo = online("romeo", "balcony", 0);
        Message error = chat("romeo@example.net/balcony", "tybalt@example.net");
        error.setType(Message.Type.error);

        router.route(error);

        assertThat(romeo.sent).isEmpty();
    }

    @Test
    void aFullJidOfAnUnknownResourceIsTreatedAsTheBareJidForChat() {
        Recorder phone = online("juliet", "phone", 0);

        router.route(chat("romeo@example.net/balcony", "juliet@example.net/gone"));

        assertThat(phone.sent).hasSize(1);
    }

    @Test
    void anIqToAnUnknownResourceIsServiceUnavailable() {
        Recorder romeo = online("romeo", "balcony", 0);
        IQ iq = new IQ(IQ.Type.get, "q1");
        iq.setFrom("romeo@example.net/balcony");
        iq.setTo("juliet@example.net/gone");
        iq.setChildElement("query", "jabber:iq:version");

        router.route(iq);

        assertThat(romeo.sent).singleElement().satisfies(p -> {
            assertThat(((IQ) p).getType()).isEqualTo(IQ.Type.error);
            assertThat(p.getError().getCondition()).isEqualTo(PacketError.Condition.service_unavailable);
        });
    }

    @Test
    void anIqToAFullJidIsDeliveredAndItsResultComesBack() {
        Recorder romeo = online("romeo", "balcony", 0);
        Recorder juliet = online("juliet", "phone", 0);
        IQ iq = new IQ(IQ.Type.get, "q2");
        iq.setFrom("romeo@example.net/balcony");
        iq.setTo("juliet@example.net/phone");
        iq.setChildElement("query", "jabber:iq:version");

        router.route(iq);
        IQ result = IQ.createResultIQ((IQ) juliet.sent.get(0));
        router.route(result);

        assertThat(romeo.sent).singleElement().satisfies(p -> assertThat(((IQ) p).getType()).isEqualTo(IQ.Type.result));
    }

    @Test
    void iqsToTheServerGoToTheirRouteOrServiceUnavailable() {
        Recorder romeo = online("romeo", "balcony", 0);
        iqRoutes.add(IqRoute.get(IqTarget.SERVER, "urn:xmpp:ping", "ping"), "ping", IQ::createResultIQ);
        IQ ping = new IQ(IQ.Type.get, "p1");
        ping.setFrom("romeo@example.net/balcony");
        ping.setTo(DOMAIN);
        ping.setChildElement("ping", "urn:xmpp:ping");
        IQ unknown = ping.createCopy();
        unknown.setID("p2");
        unknown.setChildElement("query", "urn:example:nothing");

        router.route(ping);
        router.route(unknown);

        assertThat(romeo.sent).hasSize(2);
        assertThat(((IQ) romeo.sent.get(0)).getType()).isEqualTo(IQ.Type.result);
        assertThat(romeo.sent.get(1).getError().getCondition()).isEqualTo(PacketError.Condition.service_unavailable);
    }

    @Test
    void anIqWithoutToIsHandledForTheSendersAccount() {
        Recorder romeo = online("romeo", "balcony", 0);
        List<JID> askedFor = new ArrayList<>();
        iqRoutes.add(IqRoute.get(IqTarget.ACCOUNT, "jabber:iq:roster", "query"), "roster", iq -> {
            askedFor.add(iq.getFrom());
            return IQ.createResultIQ(iq);
        });
        IQ get = new IQ(IQ.Type.get, "r1");
        get.setFrom("romeo@example.net/balcony");
        get.setChildElement("query", "jabber:iq:roster");

        router.route(get);

        assertThat(askedFor).containsExactly(new JID("romeo@example.net/balcony"));
        assertThat(romeo.sent).singleElement().satisfies(p -> assertThat(((IQ) p).getType()).isEqualTo(IQ.Type.result));
    }

    @Test
    void aHandlerErrorBecomesAnErrorReply() {
        Recorder romeo = online("romeo", "balcony", 0);
        iqRoutes.add(IqRoute.get(IqTarget.USER, "vcard-temp", "vCard"), "vcard", iq -> {
            throw StanzaErrorException.forbidden("not your contact");
        });
        IQ get = new IQ(IQ.Type.get, "v1");
        get.setFrom("romeo@example.net/balcony");
        get.setTo("nurse@example.net");
        get.setChildElement("vCard", "vcard-temp");

        router.route(get);

        assertThat(romeo.sent).singleElement().satisfies(p -> {
            assertThat(p.getError().getCondition()).isEqualTo(PacketError.Condition.forbidden);
            assertThat(p.getError().getText()).isEqualTo("not your contact");
            assertThat(p.getFrom().toString()).isEqualTo("nurse@example.net");
        });
    }

    @Test
    void aMessageToAnotherDomainIsRemoteServerNotFound() {
        Recorder romeo = online("romeo", "balcony", 0);

        router.route(chat("romeo@example.net/balcony", "someone@elsewhere.org"));

        assertThat(romeo.sent).singleElement().satisfies(p ->
                assertThat(p.getError().getCondition()).isEqualTo(PacketError.Condition.remote_server_not_found));
    }

    @Test
    void stanzasToAServiceSubdomainGoToItsHandler() {
        Recorder romeo = online("romeo", "balcony", 0);
        List<Packet> received = new ArrayList<>();
        services.add("conference.example.net", "muc", received::add);

        router.route(chat("romeo@example.net/balcony", "verona@conference.example.net"));
        router.route(chat("romeo@example.net/balcony", "someone@elsewhere.example.net"));

        assertThat(received).singleElement().satisfies(p -> assertThat(p.getTo().getNode()).isEqualTo("verona"));
        assertThat(romeo.sent).singleElement().satisfies(p ->
                assertThat(p.getError().getCondition()).isEqualTo(PacketError.Condition.remote_server_not_found));
    }

    @Test
    void aMessageWithoutToGoesToTheSendersOwnBareJid() {
        Recorder phone = online("romeo", "phone", 1);
        Recorder balcony = online("romeo", "balcony", 0);
        Message note = chat("romeo@example.net/balcony", "romeo@example.net");
        note.setTo((JID) null);

        router.route(note);

        assertThat(phone.sent).hasSize(1);
        assertThat(balcony.sent).isEmpty();
    }

    @Test
    void preRouteInterceptorsMayDropOrRefuse() {
        Recorder romeo = online("romeo", "balcony", 0);
        Recorder juliet = online("juliet", "phone", 0);
        messages.add(Phase.PRE_ROUTE, 0, "filter", m -> {
            if (m.getBody().contains("poison")) {
                throw StanzaErrorException.notAcceptable("no poison");
            }
            return m.getBody().contains("drop") ? Verdict.DROP : Verdict.CONTINUE;
        });
        Message poison = chat("romeo@example.net/balcony", "juliet@example.net");
        poison.setBody("poison");
        Message drop = chat("romeo@example.net/balcony", "juliet@example.net");
        drop.setBody("drop me");

        router.route(poison);
        router.route(drop);

        assertThat(juliet.sent).isEmpty();
        assertThat(romeo.sent).singleElement().satisfies(p ->
                assertThat(p.getError().getCondition()).isEqualTo(PacketError.Condition.not_acceptable));
    }

    @Test
    void iqRequestsToAnyAddresseePassPreRouteInterceptors() throws Exception {
        Recorder romeo = online("romeo", "balcony", 0);
        List<String> seen = new ArrayList<>();
        iqs.add(Phase.PRE_ROUTE, 0, "test", iq -> {
            if (iq.getType() == IQ.Type.get) {
                seen.add(iq.getTo() == null ? "none" : iq.getTo().toString());
            }
            return "juliet@example.net".equals(String.valueOf(iq.getTo())) ? Verdict.DROP : Verdict.CONTINUE;
        });
        iqRoutes.add(IqRoute.get(IqTarget.USER, "urn:example:q", "q"), "test", IQ::createResultIQ);
        iqRoutes.add(IqRoute.get(IqTarget.SERVER, "urn:example:q", "q"), "test", IQ::createResultIQ);

        for (String to : new String[] {"juliet@example.net", "nurse@example.net", "example.net"}) {
            IQ get = new IQ(IQ.Type.get, "q-" + to);
            get.setFrom("romeo@example.net/balcony");
            get.setTo(to);
            get.setChildElement("q", "urn:example:q");
            router.route(get);
        }

        // Requests the server answers itself pass too: rules on the sender (an account awaiting a
        // guardian's consent, xeps/tongyou-consent.md) apply to them as well.
        assertThat(seen).containsExactly("juliet@example.net", "nurse@example.net", "example.net");
        assertThat(romeo.sent).extracting(p -> ((IQ) p).getID()).containsExactly("q-nurse@example.net", "q-example.net");
    }
}
