package im.tongyou.server.feature.pubsub;

import im.tongyou.api.ClientSession;
import im.tongyou.api.PluginExecutor;
import im.tongyou.api.SessionEvent;
import im.tongyou.api.SessionKey;
import im.tongyou.api.caps.Capabilities;
import im.tongyou.api.roster.RosterItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * Sends the last published items of PEP nodes to a client when it becomes available and whenever
 * its entity capabilities start to include {@code node+notify} (XEP-0163 §4.3.? "the service MUST
 * send the last published item ... when it receives presence from a contact", and §4.2 "Filtered
 * Notifications"): each node of the user's own account and of every contact whose presence the
 * user receives, when the node sends its last item on presence ({@code on_sub_and_presence}).
 *
 * <p>The features of a client are learnt by the caps feature after its presence arrives (it asks
 * the client's disco#info when the verification string is new), so they are looked at again a
 * few times after each presence with new capabilities; a node already served is not sent again
 * until the client stops asking for it.
 */
final class PepLastItems {

    private static final SessionKey<Served> SERVED = SessionKey.of("pubsub.pep-served");
    private static final SessionKey<String> CAPS = SessionKey.of("pubsub.pep-caps");
    private static final String CAPS_NS = "http://jabber.org/protocol/caps";
    /** When to look at a client's features after a presence with new capabilities: the caps feature's answer time. */
    static final List<Duration> CHECKS = List.of(Duration.ZERO, Duration.ofMillis(250), Duration.ofSeconds(1),
            Duration.ofSeconds(3), Duration.ofSeconds(6), Duration.ofSeconds(12));

    private final PubSubContext ctx;
    private final AccessControl access;
    private final Notifier notifier;
    private final PluginExecutor executor;

    PepLastItems(PubSubContext ctx, AccessControl access, Notifier notifier, PluginExecutor executor) {
        this.ctx = ctx;
        this.access = access;
        this.notifier = notifier;
        this.executor = executor;
    }

    /** On available presence: initial, or with a new caps verification string. */
    void onSessionEvent(SessionEvent event) {
        if (!(event instanceof SessionEvent.PresenceChanged changed) || !changed.session().isAvailable()) {
            return;
        }
        ClientSession session = changed.session();
        Element c = changed.presence().getElement().element(QName.get("c", CAPS_NS));
        String ver = c == null ? "" : c.attributeValue("ver", "");
        String before = session.get(CAPS);
        if (!changed.initial() && ver.equals(before)) {
            return;
        }
        session.set(CAPS, ver);
        if (changed.initial() || session.get(SERVED) == null) {
            session.set(SERVED, new Served());
        }
        for (Duration delay : CHECKS) {
            if (delay.isZero()) {
                check(session);
            } else {
                executor.schedule(() -> check(session), delay);
            }
        }
    }

    /** Sends the last items of the nodes the client newly asks for. */
    void check(ClientSession session) {
        if (!session.isOpen() || !session.isAvailable()) {
            return;
        }
        Served served = session.get(SERVED);
        if (served == null) {
            return;
        }
        Set<String> fresh = served.update(notifyNodes(session.jid()));
        if (!fresh.isEmpty()) {
            send(session.jid(), fresh).forEach(ctx.router()::route);
        }
    }

    /** The last items of the given nodes of the user's own account and of its contacts, for one client. */
    List<Message> send(JID client, Set<String> nodes) {
        List<JID> owners = new ArrayList<>();
        owners.add(client.asBareJID());
        for (RosterItem item : ctx.roster().items(client.getNode())) {
            if (item.subscription().userSeesContact() && ctx.isLocal(item.jid())) {
                owners.add(item.jid().asBareJID());
            }
        }
        List<Message> messages = new ArrayList<>();
        for (JID owner : owners) {
            NodeRegistry.Service service = ctx.registry().pep(owner);
            synchronized (service) {
                for (String name : nodes) {
                    PubSubNode node = service.nodes.get(name);
                    if (node == null || node.config().sendLast() != NodeConfig.SendLast.ON_SUB_AND_PRESENCE
                            || !node.config().deliverNotifications() || !node.config().persistItems()
                            || !access.mayAccess(node, client.asBareJID())) {
                        continue;
                    }
                    for (PubSubStore.StoredItem item : ctx.store().items(node.id(), 1)) {
                        messages.add(notifier.lastItem(service, node, item, ctx.payloads().open(item), client));
                    }
                }
            }
        }
        return messages;
    }

    /** The nodes a client was sent the last items of, while it keeps asking for them. */
    static final class Served {
        private final Set<String> nodes = new HashSet<>();

        /** Takes the nodes the client asks for now and returns those it was not served yet. */
        synchronized Set<String> update(Set<String> wanted) {
            nodes.retainAll(wanted);
            Set<String> fresh = new LinkedHashSet<>(wanted);
            fresh.removeAll(nodes);
            nodes.addAll(fresh);
            return fresh;
        }
    }

    private Set<String> notifyNodes(JID client) {
        Optional<Capabilities> caps = ctx.caps().get();
        Set<String> nodes = new LinkedHashSet<>();
        if (caps.isPresent()) {
            for (String feature : caps.get().features(client)) {
                if (feature.endsWith(Notifier.NOTIFY)) {
                    nodes.add(feature.substring(0, feature.length() - Notifier.NOTIFY.length()));
                }
            }
        }
        return nodes;
    }
}
