package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.pubsub.AccessModel;
import org.jivesoftware.smackx.pubsub.Item;
import org.jivesoftware.smackx.pubsub.ItemDeleteEvent;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.jivesoftware.smackx.pubsub.form.FillableConfigureForm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The publish-subscribe service on {@code pubsub.<domain>} (XEP-0060) with Smack's PubSubManager:
 * Romeo runs a node, Juliet subscribes and is told of what he publishes, retracts, purges and deletes.
 */
class PubSubE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    static DomainBareJid service;

    @BeforeAll
    static void users() throws Exception {
        PubSubClients.registerErrorConditions();
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
        service = JidCreate.domainBareFrom("pubsub." + TongyouServerExtension.DOMAIN);
    }

    static SimplePayload entry(String title) {
        return new SimplePayload("<entry xmlns='http://www.w3.org/2005/Atom'><title>" + title + "</title></entry>");
    }

    @Test
    void julietHearsOfWhatRomeoPublishesRetractsAndDeletes() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        PubSubManager romeoPubSub = PubSubManager.getInstanceFor(romeo, service);
        assertThat(PubSubManager.getPubSubService(romeo).toString()).isEqualTo(service.toString());
        FillableConfigureForm config = romeoPubSub.getDefaultConfiguration().getFillableForm();
        config.setAccessModel(AccessModel.open);
        config.setMaxItems(2);
        LeafNode musings = (LeafNode) romeoPubSub.createNode("princely_musings", config);

        LeafNode julietView = PubSubManager.getInstanceFor(juliet, service).getLeafNode("princely_musings");
        BlockingQueue<Item> published = new LinkedBlockingQueue<>();
        BlockingQueue<String> retracted = new LinkedBlockingQueue<>();
        julietView.addItemEventListener(event -> published.addAll(event.getItems()));
        julietView.addItemDeleteListener(new org.jivesoftware.smackx.pubsub.listener.ItemDeleteListener() {
            @Override
            public void handleDeletedItems(ItemDeleteEvent event) {
                retracted.addAll(event.getItemIds());
            }

            @Override
            public void handlePurge() {
                retracted.add("<purge>");
            }
        });
        julietView.subscribe(juliet.getUser().asEntityBareJid());

        musings.publish(new PayloadItem<>("soliloquy-1", entry("To be")));
        musings.publish(new PayloadItem<>("soliloquy-2", entry("or not to be")));
        musings.publish(new PayloadItem<>("soliloquy-3", entry("that is the question")));

        Item first = published.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.getId()).isEqualTo("soliloquy-1");
        assertThat(first.toXML().toString()).contains("To be");
        assertThat(published.poll(10, TimeUnit.SECONDS).getId()).isEqualTo("soliloquy-2");
        assertThat(published.poll(10, TimeUnit.SECONDS).getId()).isEqualTo("soliloquy-3");
        // max_items is 2: the oldest went; the newest come oldest first, and max_items picks the newest.
        List<Item> kept = julietView.getItems();
        assertThat(kept).extracting(Item::getId).containsExactly("soliloquy-2", "soliloquy-3");
        assertThat(julietView.<Item>getItems(1)).extracting(Item::getId).containsExactly("soliloquy-3");
        assertThat(julietView.<Item>getItems(List.of("soliloquy-2"))).extracting(Item::getId)
                .containsExactly("soliloquy-2");

        musings.deleteItem("soliloquy-2");
        assertThat(retracted.poll(10, TimeUnit.SECONDS)).isEqualTo("soliloquy-2");
        musings.deleteAllItems();
        assertThat(retracted.poll(10, TimeUnit.SECONDS)).isEqualTo("<purge>");
        assertThat(julietView.getItems()).isEmpty();

        // Juliet may not change Romeo's node, nor publish to it.
        XMPPErrorException notOwner = assertThrows(XMPPErrorException.class,
                () -> PubSubManager.getInstanceFor(juliet, service).deleteNode("princely_musings"));
        assertThat(notOwner.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden);
        XMPPErrorException notPublisher = assertThrows(XMPPErrorException.class,
                () -> julietView.publish(new PayloadItem<>("forged", entry("forged"))));
        assertThat(notPublisher.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden);

        assertThat(romeoPubSub.deleteNode("princely_musings")).isTrue();
        assertThat(romeoPubSub.deleteNode("princely_musings")).isFalse(); // §8.4.3.2: item-not-found
    }

    @Test
    void errorsFollowTheSpecification() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        PubSubManager pubsub = PubSubManager.getInstanceFor(romeo, service);
        assertThat(pubsub.canCreateNodesAndPublishItems()).isTrue(); // an instant node (§8.1.2)

        XMPPErrorException missing = assertThrows(XMPPErrorException.class,
                () -> PubSubManager.getInstanceFor(romeo, service).getLeafNode("no-such-node"));
        assertThat(missing.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found);

        FillableConfigureForm config = pubsub.getDefaultConfiguration().getFillableForm();
        config.setDeliverPayloads(false);
        config.setPersistentItems(false);
        LeafNode flash = (LeafNode) pubsub.createNode("flash", config);
        flash.publish(); // a notification-only transient node takes an event without an item
        XMPPErrorException forbidden = assertThrows(XMPPErrorException.class,
                () -> flash.publish(new PayloadItem<>("x", entry("x"))));
        assertThat(forbidden.getStanzaError().getType()).isEqualTo(StanzaError.Type.MODIFY);
        assertThat((Object) forbidden.getStanzaError().getExtension("item-forbidden", "http://jabber.org/protocol/pubsub#errors"))
                .isNotNull();

        XMPPErrorException conflict = assertThrows(XMPPErrorException.class, () -> pubsub.createNode("flash"));
        assertThat(conflict.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.conflict);
        pubsub.deleteNode("flash");
    }

    @Test
    void publishOptionsArePreconditionsOnAnExistingNode() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        String publish = PubSubClients.publishWithOptions("urn:example:stash", "current", "<stash xmlns='urn:example'/>",
                "pubsub#access_model", "whitelist", "pubsub#persist_items", "true");
        PubSubClients.request(romeo, service, org.jivesoftware.smack.packet.IQ.Type.set, publish); // auto-create
        PubSubClients.request(romeo, service, org.jivesoftware.smack.packet.IQ.Type.set, publish); // met

        String open = PubSubClients.publishWithOptions("urn:example:stash", "current", "<stash xmlns='urn:example'/>",
                "pubsub#access_model", "open");
        XMPPErrorException unmet = assertThrows(XMPPErrorException.class, () -> PubSubClients.request(romeo, service,
                org.jivesoftware.smack.packet.IQ.Type.set, open));
        assertThat(unmet.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.conflict);
        assertThat((Object) unmet.getStanzaError().getExtension("precondition-not-met", "http://jabber.org/protocol/pubsub#errors"))
                .isNotNull();
        PubSubManager.getInstanceFor(romeo, service).deleteNode("urn:example:stash");
    }
}
