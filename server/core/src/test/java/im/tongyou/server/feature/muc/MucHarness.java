package im.tongyou.server.feature.muc;

import im.tongyou.api.Router;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/**
 * The chat service without a server: stanzas go in through {@link MucService#handle}, and what the
 * service routes is captured, in order. The store is a real one (H2 by default).
 */
final class MucHarness {

    static final String DOMAIN = "shakespeare.lit";
    static final String SERVICE = "chat." + DOMAIN;

    final List<Packet> sent = new ArrayList<>();
    final List<Runnable> scheduled = new ArrayList<>();
    final MucService service;
    final MucContext ctx;
    Instant now = Instant.parse("2026-11-29T10:00:00Z");

    MucHarness(MucOptions options, MucStore store, Set<String> users) {
        Router router = new Router() {
            @Override
            public synchronized void route(Packet stanza) {
                sent.add(stanza);
            }

            @Override
            public CompletionStage<IQ> request(IQ request, Duration timeout) {
                return new CompletableFuture<>();
            }
        };
        Rooms rooms = new Rooms(SERVICE, router);
        store.loadAll().forEach(rooms::load);
        Predicate<JID> admin = jid -> jid.toBareJID().equals("admin@" + DOMAIN);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        ctx = new MucContext(new JID(SERVICE), DOMAIN, options, rooms, store, router, clock, users::contains, admin,
                (task, delay) -> scheduled.add(task));
        service = new MucService(ctx);
    }

    static MucOptions options() {
        return new MucOptions(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Everything routed since the last call, then forgets it. */
    synchronized List<Packet> take() {
        List<Packet> copy = new ArrayList<>(sent);
        sent.clear();
        return copy;
    }

    /** The stanzas routed to one full JID since the last {@link #take()} (without forgetting them). */
    synchronized List<Packet> to(String fullJid) {
        return sent.stream().filter(p -> p.getTo() != null && p.getTo().toString().equals(fullJid)).toList();
    }

    static JID jid(String jid) {
        return new JID(jid);
    }

    /** A user's presence to an occupant JID, as the server hands it to the service. */
    void presence(String from, String to, String xml) {
        service.handle(new Presence(element("<presence xmlns='jabber:client' from='" + from + "' to='" + to + "' id='p1'>"
                + xml + "</presence>"), true));
    }

    void enter(String from, String occupantJid) {
        presence(from, occupantJid, "<x xmlns='http://jabber.org/protocol/muc'/>");
    }

    void message(String from, String to, String type, String xml) {
        service.handle(new Message(element("<message xmlns='jabber:client' from='" + from + "' to='" + to + "' id='m1'"
                + (type == null ? "" : " type='" + type + "'") + ">" + xml + "</message>"), true));
    }

    void iq(String from, String to, String type, String xml) {
        service.handle(new IQ(element("<iq xmlns='jabber:client' from='" + from + "' to='" + to + "' id='q1' type='"
                + type + "'>" + xml + "</iq>"), true));
    }

    /** Creates an instant room owned by {@code owner} with the given nickname, and forgets the stanzas. */
    void instantRoom(String owner, String occupantJid) {
        enter(owner, occupantJid);
        iq(owner, new JID(occupantJid).toBareJID(), "set",
                "<query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query>");
        take();
    }

    static Element element(String xml) {
        try {
            return DocumentHelper.parseText(xml).getRootElement();
        } catch (org.dom4j.DocumentException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
