package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.privacy.AuditLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.commands.AdHocCommand;
import org.jivesoftware.smackx.commands.AdHocCommandManager;
import org.jivesoftware.smackx.commands.AdHocCommandResult;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Masking in administrators' answers (privacy requirements R-SEC-5, AC-10): the Prince asks for
 * Balthasar's account information and the list of online users; the phone number Balthasar
 * registered with appears only as {@code 139****5678}, his birthday only as an age group, and the
 * read is in the audit log with the Prince's name. Others may not run the command.
 */
class AdminMaskingE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .set("plugins.register.mode", "phone")
            .set("server.admin-jids", "prince@" + TongyouServerExtension.DOMAIN)
            .build();

    static final String NATIONAL = "13912340777";

    @BeforeAll
    static void accounts() throws Exception {
        server.createUser("prince", "escalus-secret");
        register("balthasar", NATIONAL, "1990-02-01");
        register("page", "13912340778", "2012-06-01");
    }

    private static void register(String username, String national, String birthday) throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            assertThat(reg.requestCode(national).attributeValue("type")).isEqualTo("result");
            Map<String, String> form = new LinkedHashMap<>();
            form.put("username", username);
            form.put("password", "mantua-secret");
            form.put("phone", national);
            form.put("sms-code", RawRegistration.lastCode(server.dataDir(), "+86" + national));
            form.put("birthday", birthday);
            form.put("accept-policy", "1");
            form.put("policy-version", "V4.2.7");
            assertThat(reg.submit(form).attributeValue("type")).isEqualTo("result");
        }
    }

    private static Map<String, String> userInfo(XMPPTCPConnection admin, String user) throws Exception {
        AdHocCommand info = command(admin, "urn:tongyou:admin:0#user-info");
        FillableForm form = info.execute().asExecutingOrThrow().getFillableForm();
        form.setAnswer("accountjid", user + "@" + server.domain());
        AdHocCommandResult result = info.execute(form);
        assertThat(result.isCompleted()).isTrue();
        Map<String, String> fields = new LinkedHashMap<>();
        result.getResponse().getForm().getFields().forEach(f -> fields.put(f.getFieldName(), f.getFirstValue()));
        return fields;
    }

    private static AdHocCommand command(XMPPTCPConnection c, String node) throws Exception {
        DomainBareJid service = JidCreate.domainBareFrom(server.domain());
        return AdHocCommandManager.getInstance(c).getRemoteCommand(service, node);
    }

    @Test
    void userInformationShowsThePhoneMaskedAndTheReadIsAudited() throws Exception {
        server.login("balthasar", "mantua-secret", "horse");
        XMPPTCPConnection prince = server.login("prince", "escalus-secret");
        Map<String, String> fields = userInfo(prince, "balthasar");

        assertThat(fields).containsEntry("phone", "139****0777").containsEntry("onlineresources", "1")
                .containsEntry("age-group", "adult").containsKey("state");
        assertThat(fields.values()).noneMatch(v -> v != null && (v.contains(NATIONAL) || v.contains("1990-02-01")));
        Map<String, String> minor = userInfo(prince, "page");
        assertThat(minor.get("phone")).as("a minor's number needs a ticket").startsWith("withheld")
                .doesNotContain("0778");
        assertThat(server.server().audit().forSubject("balthasar")).extracting(AuditLog.Entry::action, AuditLog.Entry::actor)
                .contains(org.assertj.core.groups.Tuple.tuple("admin.read.user-info", "admin:prince@" + server.domain()));

        AdHocCommand online = command(prince, "http://jabber.org/protocol/admin#get-online-users-list");
        FillableForm max = online.execute().asExecutingOrThrow().getFillableForm();
        String list = online.execute(max).getResponse().toXML().toString();
        assertThat(list).contains("balthasar@").doesNotContain(NATIONAL);
    }

    @Test
    void onlyAdministratorsMayReadUserInformation() throws Exception {
        XMPPTCPConnection balthasar = server.login("balthasar", "mantua-secret", "horse");
        assertThatThrownBy(() -> command(balthasar, "urn:tongyou:admin:0#user-info").execute())
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                        e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
        assertThat(List.of(server.server().audit().forSubject("balthasar").stream()
                .filter(e -> e.actor().contains("balthasar")).toArray())).isEmpty();
    }
}
