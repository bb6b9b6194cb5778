package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.admin.ServiceAdministrationManager;
import org.jivesoftware.smackx.commands.AbstractAdHocCommand;
import org.jivesoftware.smackx.commands.AdHocCommand;
import org.jivesoftware.smackx.commands.AdHocCommandManager;
import org.jivesoftware.smackx.commands.AdHocCommandNote;
import org.jivesoftware.smackx.commands.AdHocCommandResult;
import org.jivesoftware.smackx.commands.SpecificErrorCondition;
import org.jivesoftware.smackx.commands.packet.AdHocCommandData;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Service administration (XEP-0133) over ad-hoc commands (XEP-0050) with Smack's
 * ServiceAdministrationManager and AdHocCommandManager: the administrator runs each of the eight
 * commands, everyone else gets forbidden, and command sessions can be canceled and expire.
 */
class ServiceAdministrationE2ETest {

    static final String ADMIN = "http://jabber.org/protocol/admin#";
    static final List<String> NODES = List.of("add-user", "delete-user", "disable-user", "reenable-user",
            "change-user-password", "get-online-users-num", "get-online-users-list", "announce");
    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T08:00:00Z"));

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .clock(clock)
            .set("server.admin-jids", "prince@" + TongyouServerExtension.DOMAIN)
            .build();

    private XMPPTCPConnection prince;
    private DomainBareJid service;

    @BeforeAll
    static void users() throws Exception {
        server.createUser("prince", "escalus-secret");
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
    }

    @BeforeEach
    void administrator() throws Exception {
        prince = server.login("prince", "escalus-secret");
        service = JidCreate.domainBareFrom(server.domain());
    }

    private AdHocCommand command(XMPPTCPConnection connection, String use) {
        return AdHocCommandManager.getInstance(connection).getRemoteCommand(service, ADMIN + use);
    }

    private static AdHocCommandData submit(AdHocCommand command, String field, String value) throws Exception {
        FillableForm form = command.execute().asExecutingOrThrow().getFillableForm();
        form.setAnswer(field, List.of(value)); // a jid-multi field
        AdHocCommandResult result = command.execute(form);
        assertThat(result.isCompleted()).isTrue();
        return result.getResponse();
    }

    @Test
    void theAdministratorFindsTheEightCommandsAndOthersNone() throws Exception {
        DiscoverItems items = AdHocCommandManager.getInstance(prince).discoverCommands(service);
        assertThat(items.getItems()).extracting(DiscoverItems.Item::getNode)
                .containsAll(NODES.stream().map(n -> ADMIN + n).toList());
        DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(prince).discoverInfo(service, ADMIN + "add-user");
        assertThat(info.hasIdentity("automation", "command-node")).isTrue();
        assertThat(info.containsFeature("http://jabber.org/protocol/commands")).isTrue();
        assertThat(ServiceDiscoveryManager.getInstanceFor(prince).serverSupportsFeature(
                "http://jabber.org/protocol/commands")).isTrue();

        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        assertThat(AdHocCommandManager.getInstance(romeo).discoverCommands(service).getItems()).isEmpty();
        assertThatThrownBy(() -> ServiceDiscoveryManager.getInstanceFor(romeo).discoverInfo(service, ADMIN + "add-user"))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                        e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
    }

    @Test
    void everyCommandIsForbiddenToAnOrdinaryUser() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        for (String node : NODES) {
            assertThatThrownBy(() -> command(romeo, node).execute()).as(node)
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                            e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
        }
        assertThatThrownBy(() -> ServiceAdministrationManager.getInstanceFor(romeo)
                .addUser(JidCreate.entityBareFrom("rogue@" + server.domain()), "s3cret-pass"))
                .isInstanceOf(XMPPException.XMPPErrorException.class);
        assertThat(server.server().accounts().exists("rogue")).isFalse();
    }

    @Test
    void addUserWorksAsSmacksIntegrationTestFrameworkUsesIt() throws Exception {
        ServiceAdministrationManager admin = ServiceAdministrationManager.getInstanceFor(prince);
        admin.addUser(JidCreate.entityBareFrom("sinttest-two@" + server.domain()), "s3cret-pass");

        assertThat(server.login("sinttest-two", "s3cret-pass").isAuthenticated()).isTrue();
        assertThatThrownBy(() -> admin.addUser(JidCreate.entityBareFrom("sinttest-two@" + server.domain()), "other-pass"))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                        e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.conflict));
    }

    @Test
    void deleteUserEndsTheSessionsAndTheAccount() throws Exception {
        server.createUser("benvolio", "cousin-secret");
        XMPPTCPConnection benvolio = server.login("benvolio", "cousin-secret");

        ServiceAdministrationManager.getInstanceFor(prince).deleteUser(
                JidCreate.entityBareFrom("benvolio@" + server.domain()));

        assertThat(StoredData.waitUntilDisconnected(benvolio)).isTrue();
        assertThat(StoredData.eventually(() -> !server.server().accounts().exists("benvolio"))).isTrue();
        assertThatThrownBy(() -> server.login("benvolio", "cousin-secret")).isInstanceOf(SASLErrorException.class);
    }

    @Test
    void disableEndsTheSessionsAndReenableLetsTheUserBackIn() throws Exception {
        server.createUser("tybalt", "prince-of-cats");
        XMPPTCPConnection tybalt = server.login("tybalt", "prince-of-cats");

        AdHocCommandData disabled = submit(command(prince, "disable-user"), "accountjids", "tybalt@" + server.domain());
        assertThat(disabled.getNotes()).extracting(AdHocCommandNote::getType).doesNotContain(AdHocCommandNote.Type.error);
        assertThat(StoredData.waitUntilDisconnected(tybalt)).isTrue();
        assertThatThrownBy(() -> server.login("tybalt", "prince-of-cats")).isInstanceOf(SASLErrorException.class);

        submit(command(prince, "reenable-user"), "accountjids", "tybalt@" + server.domain());
        assertThat(server.login("tybalt", "prince-of-cats").isAuthenticated()).isTrue();

        AdHocCommandData unknown = submit(command(prince, "disable-user"), "accountjids", "nobody@" + server.domain());
        assertThat(unknown.getNotes()).extracting(AdHocCommandNote::getType).contains(AdHocCommandNote.Type.error);
    }

    @Test
    void changeUserPassword() throws Exception {
        server.createUser("nurse", "angelica-secret");
        AdHocCommand change = command(prince, "change-user-password");
        FillableForm form = change.execute().asExecutingOrThrow().getFillableForm();
        form.setAnswer("accountjid", "nurse@" + server.domain());
        form.setAnswer("password", "new-angelica");
        assertThat(change.execute(form).isCompleted()).isTrue();

        assertThat(server.login("nurse", "new-angelica").isAuthenticated()).isTrue();
        assertThatThrownBy(() -> server.login("nurse", "angelica-secret")).isInstanceOf(SASLErrorException.class);
    }

    @Test
    void onlineUsersAreCountedAndListed() throws Exception {
        server.login("romeo", "montague-secret", "balcony");
        server.login("romeo", "montague-secret", "orchard");
        server.login("juliet", "capulet-secret");

        AdHocCommandResult number = command(prince, "get-online-users-num").execute();
        assertThat(number.isCompleted()).isTrue();
        // prince, romeo (twice) and juliet: three users.
        assertThat(number.getResponse().getForm().getField("onlineusersnum").getFirstValue()).isEqualTo("3");

        AdHocCommand list = command(prince, "get-online-users-list");
        FillableForm form = list.execute().asExecutingOrThrow().getFillableForm();
        form.setAnswer("max_items", "none");
        assertThat(list.execute(form).getResponse().getForm().getField("onlineuserjids").getValuesAsString())
                .containsExactly("juliet@" + server.domain(), "prince@" + server.domain(), "romeo@" + server.domain());

        AdHocCommand limited = command(prince, "get-online-users-list");
        FillableForm one = limited.execute().asExecutingOrThrow().getFillableForm();
        one.setAnswer("max_items", "25");
        assertThat(limited.execute(one).getResponse().getForm().getField("onlineuserjids").getValuesAsString())
                .hasSize(3);
    }

    @Test
    void anAnnouncementReachesEveryAvailableSession() throws Exception {
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        XMPPTCPConnection silent = server.connect(server.config("romeo", "montague-secret")
                .setSendPresence(false).build());
        server.sync(juliet);
        server.sync(silent);
        StanzaCollector julietInbox = juliet.createStanzaCollector(new AndFilter(MessageTypeFilter.HEADLINE,
                FromMatchesFilter.createFull(service)));
        StanzaCollector silentInbox = silent.createStanzaCollector(MessageTypeFilter.HEADLINE);

        AdHocCommand announce = command(prince, "announce");
        FillableForm form = announce.execute().asExecutingOrThrow().getFillableForm();
        form.setAnswer("announcement", List.of("The prince speaks:", "all are punished."));
        assertThat(announce.execute(form).isCompleted()).isTrue();

        Message heard = julietInbox.nextResult(10_000);
        assertThat(heard).isNotNull();
        assertThat(heard.getBody()).isEqualTo("The prince speaks:\nall are punished.");
        server.sync(silent);
        Message overheard = silentInbox.pollResult();
        assertThat(overheard).as("a session without available presence").isNull();
        julietInbox.cancel();
        silentInbox.cancel();
    }

    /**
     * XEP-0050 §3.4: cancel is answered with status canceled. Smack 4.5.0-beta5's AdHocCommand.cancel()
     * cannot take that answer (AdHocCommandResult.from throws IllegalArgumentException for any status
     * but executing and completed), so the cancel request is sent as a plain command IQ.
     */
    private AdHocCommandData cancel(XMPPTCPConnection connection, AdHocCommand command) throws Exception {
        AdHocCommandData request = AdHocCommandData.builder(command.getNode(), connection)
                .ofType(org.jivesoftware.smack.packet.IQ.Type.set).to(service)
                .setSessionId(command.getSessionId()).setAction(AdHocCommandData.Action.cancel).build();
        return connection.sendIqRequestAndWaitForResponse(request);
    }

    @Test
    void aCanceledSessionCannotBeContinued() throws Exception {
        AdHocCommand add = command(prince, "add-user");
        FillableForm form = add.execute().asExecutingOrThrow().getFillableForm();
        assertThat(cancel(prince, add).getStatus()).isEqualTo(AdHocCommandData.Status.canceled);

        form.setAnswer("accountjid", "late@" + server.domain());
        form.setAnswer("password", "s3cret-pass");
        assertThatThrownBy(() -> add.execute(form)).isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> {
            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.not_allowed);
            assertThat(AbstractAdHocCommand.getSpecificErrorCondition(e.getStanzaError()))
                    .isEqualTo(SpecificErrorCondition.sessionExpired);
        });
        assertThat(server.server().accounts().exists("late")).isFalse();
    }

    @Test
    void anIdleSessionExpires() throws Exception {
        AdHocCommand add = command(prince, "add-user");
        FillableForm form = add.execute().asExecutingOrThrow().getFillableForm();
        form.setAnswer("accountjid", "sleepy@" + server.domain());
        form.setAnswer("password", "s3cret-pass");

        clock.advance(Duration.ofSeconds(601)); // the default session-timeout-seconds is 600

        assertThatThrownBy(() -> add.execute(form)).isInstanceOfSatisfying(XMPPException.XMPPErrorException.class,
                e -> assertThat(AbstractAdHocCommand.getSpecificErrorCondition(e.getStanzaError()))
                        .isEqualTo(SpecificErrorCondition.sessionExpired));
        assertThat(server.server().accounts().exists("sleepy")).isFalse();
    }

    @Test
    void anotherRequestersSessionIdIsABadSessionId() throws Exception {
        AdHocCommand mine = command(prince, "add-user");
        mine.execute();
        XMPPTCPConnection second = server.login("prince", "escalus-secret", "second-device");
        assertThatThrownBy(() -> cancel(second, mine))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> {
                    assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.bad_request);
                    assertThat(AbstractAdHocCommand.getSpecificErrorCondition(e.getStanzaError()))
                            .isEqualTo(SpecificErrorCondition.badSessionid);
                });
        assertThat(cancel(prince, mine).getStatus()).as("still the owner's to cancel")
                .isEqualTo(AdHocCommandData.Status.canceled);
    }
}
