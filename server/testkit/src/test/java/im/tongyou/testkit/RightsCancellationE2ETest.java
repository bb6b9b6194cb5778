package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.privacy.AuditLog;
import im.tongyou.api.privacy.CancellationRequests;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.commands.AdHocCommandManager;
import org.jivesoftware.smackx.xdata.packet.DataForm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Cancellation as a tracked rights request ({@code xeps/tongyou-rights.md} §3.3, §3.7; privacy
 * requirements AC-13, AC-26): Romeo cancels with {@code <cancel/>} and is told the request's id,
 * times and 24-hour deadline before his stream ends; Benvolio cancels with XEP-0077
 * {@code <remove/>}; an administrator cancels Tybalt. Each cancellation is recorded as received,
 * verified and, when the erasure across every store ended, responded within its deadline; the
 * Prince sees all three with the staff command, without a name once the erasure ended, and while
 * Tybalt's erasure waits, with his address and no answer yet.
 */
class RightsCancellationE2ETest {

    static final String NS = "urn:tongyou:rights:0";
    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T09:00:00Z"));

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .clock(clock)
            .set("server.domain", "localhost")
            .set("server.admin-jids", "prince@localhost")
            .build();

    @BeforeAll
    static void users() throws Exception {
        server.createUser("prince", "escalus-secret");
        server.createUser("romeo", "montague-secret");
        server.createUser("benvolio", "benvolio-secret");
        server.createUser("tybalt", "tybalt-secret");
    }

    private static im.tongyou.server.privacy.Cancellations requests() {
        return server.server().cancellations();
    }

    @Test
    void everyCancellationIsARequestAnsweredWhenTheErasureEnds() throws Exception {
        // Romeo cancels in band with the rights extension: the answer comes before the stream ends.
        String romeoRequest;
        try (RawXmppClient raw = server.raw()) {
            raw.login("romeo", "montague-secret", "phone");
            raw.send("<iq type='set' id='cx1'><cancel xmlns='" + NS + "'/></iq>");
            String answer = raw.readUntil("</iq>");
            answer = answer.substring(answer.lastIndexOf("<iq"));
            Element iq = DocumentHelper.parseText(answer.replaceFirst("<iq ", "<iq xmlns='jabber:client' "))
                    .getRootElement();
            assertThat(iq.attributeValue("type")).as(answer).isEqualTo("result");
            Element request = iq.element(QName.get("cancel", NS)).element(QName.get("request", NS));
            assertThat(request.attributeValue("kind")).isEqualTo("cancellation");
            assertThat(request.attributeValue("received")).isEqualTo("2026-11-29T09:00:00Z");
            assertThat(request.attributeValue("verified")).as("the authenticated stream").isEqualTo("2026-11-29T09:00:00Z");
            assertThat(request.attributeValue("deadline")).as("erasure within 24 hours").isEqualTo("2026-11-30T09:00:00Z");
            assertThat(request.attributeValue("responded")).as("the erasure runs after the answer").isNull();
            romeoRequest = request.attributeValue("id");
            assertThat(raw.readUntil("</stream:stream>")).as("the session ends at once").contains("not-authorized");
        }
        assertThatThrownBy(() -> server.login("romeo", "montague-secret")).as("login refused at once");
        assertThat(StoredData.eventually(() -> requests().byId(romeoRequest)
                .map(r -> r.respondedAt() != null).orElse(false))).as("answered when the erasure ended").isTrue();
        CancellationRequests.Request romeo = requests().byId(romeoRequest).orElseThrow();
        assertThat(romeo.username()).as("the record keeps no name once erased").isNull();
        assertThat(romeo.actor()).isEqualTo(AuditLog.SELF);
        assertThat(romeo.receivedAt()).isEqualTo(Instant.parse("2026-11-29T09:00:00Z"));
        assertThat(romeo.verifiedAt()).isEqualTo(romeo.receivedAt());
        assertThat(romeo.respondedAt()).isBeforeOrEqualTo(romeo.deadline());

        // Benvolio cancels with XEP-0077 <remove/>: the same record, received an hour later.
        clock.advance(Duration.ofHours(1));
        XMPPTCPConnection benvolio = server.login("benvolio", "benvolio-secret");
        assertThat(requests().ofUser("benvolio")).as("no cancellation before he asks").isEmpty();
        StoredData.deleteAccount(benvolio);
        assertThat(StoredData.waitUntilDisconnected(benvolio)).isTrue();
        assertThat(StoredData.eventually(() -> requests().recent(10).size() == 2
                && requests().recent(10).get(0).respondedAt() != null)).isTrue();
        CancellationRequests.Request removed = requests().recent(10).get(0);
        assertThat(removed.id()).isNotEqualTo(romeoRequest);
        assertThat(removed.receivedAt()).isEqualTo(Instant.parse("2026-11-29T10:00:00Z"));
        assertThat(removed.deadline()).isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
        assertThat(removed.actor()).isEqualTo(AuditLog.SELF);
        assertThat(removed.username()).isNull();

        // An administrator cancels Tybalt; his erasure has not run yet, so his record still names him.
        clock.advance(Duration.ofHours(1));
        String tybaltRequest = server.server().cancellations().start("tybalt", AuditLog.admin("prince@localhost"))
                .orElseThrow().id();
        CancellationRequests.Request pending = requests().ofUser("tybalt").orElseThrow();
        assertThat(pending.id()).isEqualTo(tybaltRequest);
        assertThat(pending.verifiedAt()).as("verified by the administrator").isEqualTo(pending.receivedAt());
        assertThat(pending.respondedAt()).isNull();

        XMPPTCPConnection prince = server.login("prince", "escalus-secret");
        Map<String, DataForm.Item> listed = cancellations(prince);
        assertThat(listed).containsOnlyKeys(romeoRequest, removed.id(), tybaltRequest);
        assertThat(field(listed.get(tybaltRequest), "account")).isEqualTo("tybalt@localhost");
        assertThat(field(listed.get(tybaltRequest), "actor")).isEqualTo("admin:prince@localhost");
        assertThat(field(listed.get(tybaltRequest), "responded")).isNull();
        assertThat(field(listed.get(tybaltRequest), "in-time")).isEqualTo("true");
        for (String id : List.of(romeoRequest, removed.id())) {
            DataForm.Item item = listed.get(id);
            assertThat(field(item, "account")).as("no name after the erasure").isNull();
            assertThat(field(item, "actor")).isEqualTo("self");
            assertThat(field(item, "verified")).isEqualTo(field(item, "received"));
            assertThat(field(item, "responded")).isNotNull();
            assertThat(field(item, "in-time")).isEqualTo("true");
            assertThat(item.toXML().toString()).doesNotContain("romeo").doesNotContain("benvolio");
        }

        // The job answers Tybalt's; 25 hours later an unanswered one would show as late.
        clock.advance(Duration.ofHours(2));
        assertThat(requests().resumePending()).isEqualTo(1);
        CancellationRequests.Request tybalt = requests().byId(tybaltRequest).orElseThrow();
        assertThat(tybalt.respondedAt()).isEqualTo(Instant.parse("2026-11-29T13:00:00Z"));
        assertThat(tybalt.username()).isNull();
        assertThat(field(cancellations(prince).get(tybaltRequest), "responded")).isEqualTo("2026-11-29T13:00:00Z");
    }

    @Test
    void theStaffListIsForAdministratorsOnly() throws Exception {
        server.ensureUser("mercutio", "queen-mab-secret");
        XMPPTCPConnection mercutio = server.login("mercutio", "queen-mab-secret");
        assertThatThrownBy(() -> AdHocCommandManager.getInstance(mercutio)
                .getRemoteCommand(JidCreate.domainBareFrom("localhost"), NS + "#cancellations").execute())
                .isInstanceOf(org.jivesoftware.smack.XMPPException.XMPPErrorException.class);
    }

    private static Map<String, DataForm.Item> cancellations(XMPPTCPConnection prince) throws Exception {
        DataForm form = AdHocCommandManager.getInstance(prince)
                .getRemoteCommand(JidCreate.domainBareFrom("localhost"), NS + "#cancellations").execute()
                .getResponse().getForm();
        return form.getItems().stream().collect(Collectors.toMap(i -> field(i, "request"), i -> i));
    }

    private static String field(DataForm.Item item, String var) {
        return item.getFields().stream().filter(f -> var.equals(f.getFieldName())).findFirst()
                .map(f -> f.getFirstValue()).filter(v -> !v.isEmpty()).orElse(null);
    }
}
