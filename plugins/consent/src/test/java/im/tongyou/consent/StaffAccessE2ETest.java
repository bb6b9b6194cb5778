package im.tongyou.consent;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.privacy.AuditLog;
import im.tongyou.testkit.MutableClock;
import im.tongyou.testkit.TongyouServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Staff access to minors' data ({@code xeps/tongyou-consent.md} §3.11; R-CHD-7, AC-09, AC-10): the
 * warden reads a 16-year-old's profile only with a ticket another administrator approved for him,
 * for the fields and the time it names; each read writes exactly one row of the audit log with staff,
 * ticket, subject, fields, purpose and time; an expired ticket, someone else's ticket and a
 * self-approved one are refused; a bulk export that includes a minor is refused whatever the ticket.
 * Phone numbers are shown masked. The clock is moved, never waited for.
 */
class StaffAccessE2ETest {

    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T08:00:00Z"));

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .clock(clock)
            .set("plugins.register.mode", "phone")
            .set("server.domain", "localhost")
            .set("server.admin-jids", "warden@localhost,approver@localhost")
            .build();

    static final String READ = "consent.staff.read-profile";
    static final String MASKED_PHONE = "\\d{3}\\*{4}\\d{4}";

    @BeforeAll
    static void accounts() throws Exception {
        server.ensureUser("warden", "s3cret-pass");
        server.ensureUser("approver", "s3cret-pass");
        assertThat(ConsentClient.register(server, "teen", "13912340301", "+8613912340301", birthday(16))
                .attributeValue("type")).isEqualTo("result");
        clock.advance(Duration.ofHours(2)); // the SMS limits' windows
        assertThat(ConsentClient.register(server, "friar", "13912340302", "+8613912340302", birthday(40))
                .attributeValue("type")).isEqualTo("result");
    }

    static String birthday(int years) {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusYears(years).toString();
    }

    /** Runs a one-form command with these fields; returns the final answer (a result or an error). */
    static Element command(ConsentClient admin, String use, Map<String, List<String>> fields) throws Exception {
        String node = "urn:tongyou:consent:0#" + use;
        String commands = "http://jabber.org/protocol/commands";
        Element first = admin.iqTo("localhost", "set", "<command xmlns='" + commands + "' node='" + node
                + "' action='execute'/>");
        assertThat(first.attributeValue("type")).as(first.asXML()).isEqualTo("result");
        String session = first.element("command").attributeValue("sessionid");
        StringBuilder form = new StringBuilder("<x xmlns='jabber:x:data' type='submit'>");
        fields.forEach((var, values) -> {
            form.append("<field var='").append(var).append("'>");
            values.forEach(v -> form.append("<value>").append(v).append("</value>"));
            form.append("</field>");
        });
        return admin.iqTo("localhost", "set", "<command xmlns='" + commands + "' node='" + node + "' sessionid='"
                + session + "' action='complete'>" + form + "</x></command>");
    }

    static Map<String, String> resultFields(Element answer) {
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        Map<String, String> fields = new LinkedHashMap<>();
        for (Element f : answer.element("command").element("x").elements("field")) {
            fields.put(f.attributeValue("var"), f.elementText("value"));
        }
        return fields;
    }

    static void assertForbidden(Element answer) {
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("error");
        assertThat(ConsentClient.condition(answer)).as(answer.asXML()).isEqualTo("forbidden");
    }

    static List<AuditLog.Entry> audited(String subject, String action) {
        return server.server().audit().forSubject(subject).stream().filter(e -> e.action().equals(action)).toList();
    }

    static String ticket(ConsentClient approver, String subject, String staff, List<String> fields, int hours)
            throws Exception {
        return resultFields(command(approver, "create-ticket", Map.of("subject", List.of(subject + "@localhost"),
                "staff", List.of(staff + "@localhost"), "fields", fields, "purpose", List.of("complaint 42"),
                "hours", List.of(String.valueOf(hours))))).get("ticket");
    }

    @Test
    void aMinorsProfileNeedsAValidTicketForTheReaderAndEachReadIsAuditedOnce() throws Exception {
        try (ConsentClient warden = ConsentClient.login(server, "warden");
             ConsentClient approver = ConsentClient.login(server, "approver")) {
            assertForbidden(command(warden, "read-profile", Map.of("subject", List.of("teen@localhost"),
                    "purpose", List.of("curiosity"))));
            assertForbidden(command(warden, "create-ticket", Map.of("subject", List.of("teen@localhost"),
                    "staff", List.of("warden@localhost"), "fields", List.of("phone"), "purpose", List.of("mine"),
                    "hours", List.of("2"))));
            String ticket = ticket(approver, "teen", "warden", List.of("phone", "age-group"), 2);
            assertThat(ticket).isNotBlank();
            assertThat(audited("teen", "consent.ticket.approved")).last()
                    .satisfies(e -> assertThat(e.details()).containsEntry("ticket", ticket)
                            .containsEntry("staff", "warden@localhost"))
                    .satisfies(e -> assertThat(e.actor()).isEqualTo("admin:approver@localhost"));
            assertForbidden(command(approver, "read-profile", Map.of("subject", List.of("teen@localhost"),
                    "ticket", List.of(ticket))));
            assertThat(audited("teen", READ)).as("no read happened yet").isEmpty();

            Map<String, String> profile = resultFields(command(warden, "read-profile",
                    Map.of("subject", List.of("teen@localhost"), "ticket", List.of(ticket))));
            assertThat(profile).containsOnlyKeys("FORM_TYPE", "user", "phone", "age-group");
            assertThat(profile.get("phone")).matches(MASKED_PHONE).isEqualTo("139****0301");
            assertThat(profile.get("age-group")).isEqualTo("minor");
            assertThat(audited("teen", READ)).singleElement().satisfies(row -> {
                assertThat(row.actor()).isEqualTo("admin:warden@localhost");
                assertThat(row.at()).isEqualTo(clock.instant());
                assertThat(row.details()).containsEntry("ticket", ticket).containsEntry("fields", "phone,age-group")
                        .containsEntry("purpose", "complaint 42");
                assertThat(row.details().values()).noneMatch(v -> v.contains("13912340301"));
            });

            clock.advance(Duration.ofHours(3));
            assertForbidden(command(warden, "read-profile", Map.of("subject", List.of("teen@localhost"),
                    "ticket", List.of(ticket))));
            assertThat(audited("teen", READ)).as("the expired ticket read nothing").hasSize(1);
            assertThat(server.server().audit().verify().intact()).isTrue();
        }
    }

    @Test
    void bulkExportIncludingAMinorIsRefusedWhateverTheTicketAndAnAdultsIsMaskedAndAudited() throws Exception {
        try (ConsentClient warden = ConsentClient.login(server, "warden");
             ConsentClient approver = ConsentClient.login(server, "approver")) {
            String ticket = ticket(approver, "teen", "warden", StaffAccess.FIELDS, 24);
            assertForbidden(command(warden, "export-profiles", Map.of("subjects",
                    List.of("friar@localhost", "teen@localhost"), "ticket", List.of(ticket),
                    "purpose", List.of("quarterly review"))));
            assertThat(audited("teen", "consent.staff.export-refused")).isNotEmpty();
            assertThat(audited("friar", "consent.staff.export-profiles")).as("nothing was exported").isEmpty();

            Element exported = command(warden, "export-profiles", Map.of("subjects", List.of("friar@localhost"),
                    "purpose", List.of("quarterly review")));
            assertThat(exported.attributeValue("type")).as(exported.asXML()).isEqualTo("result");
            Element item = exported.element("command").element("x").element("item");
            Map<String, String> row = new LinkedHashMap<>();
            item.elements("field").forEach(f -> row.put(f.attributeValue("var"), f.elementText("value")));
            assertThat(row.get("phone")).matches(MASKED_PHONE).isEqualTo("139****0302");
            assertThat(exported.asXML()).doesNotContain("13912340302");
            assertThat(audited("friar", "consent.staff.export-profiles")).hasSize(1);
        }
    }

    @Test
    void anAdultsProfileNeedsAPurposeAndEveryReadIsAudited() throws Exception {
        try (ConsentClient warden = ConsentClient.login(server, "warden")) {
            Element noPurpose = command(warden, "read-profile", Map.of("subject", List.of("friar@localhost")));
            assertThat(ConsentClient.condition(noPurpose)).as(noPurpose.asXML()).isEqualTo("bad-request");
            int before = audited("friar", READ).size();

            Map<String, String> profile = resultFields(command(warden, "read-profile",
                    Map.of("subject", List.of("friar@localhost"), "purpose", List.of("fraud report 7"))));
            assertThat(profile.get("phone")).isEqualTo("139****0302");
            assertThat(profile.get("age-group")).isEqualTo("adult");
            assertThat(audited("friar", READ)).hasSize(before + 1).last()
                    .satisfies(e -> assertThat(e.details()).containsEntry("purpose", "fraud report 7")
                            .containsEntry("ticket", "-"));
        }
    }

    @Test
    void onlyAdministratorsSeeTheCommands() throws Exception {
        try (ConsentClient friar = ConsentClient.login(server, "friar")) {
            Element answer = friar.iqTo("localhost", "set", "<command xmlns='http://jabber.org/protocol/commands'"
                    + " node='urn:tongyou:consent:0#read-profile' action='execute'/>");
            assertThat(answer.attributeValue("type")).isEqualTo("error");
            assertThat(ConsentClient.condition(answer)).isIn("forbidden", "item-not-found");
        }
    }
}
