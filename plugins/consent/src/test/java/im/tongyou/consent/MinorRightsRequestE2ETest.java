package im.tongyou.consent;

import static im.tongyou.consent.StaffAccessE2ETest.assertForbidden;
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
 * Staff reading a minor's rights request (privacy requirements R-CHD-7; {@code xeps/tongyou-rights.md}
 * §3.7): a 16-year-old's correction waits for staff; {@code #open} lists it without what it asks;
 * {@code #read} refuses the warden without a ticket, with a ticket for other fields and with one
 * approved for someone else, and shows it with a ticket covering {@code rights-requests} that
 * another administrator approved for him; each read is one audit row with staff, ticket, fields and
 * purpose. An adult's request is shown by {@code #open} as before.
 */
class MinorRightsRequestE2ETest {

    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T08:00:00Z"));

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .clock(clock)
            .set("plugins.register.mode", "phone")
            .set("server.domain", "localhost")
            .set("server.admin-jids", "warden@localhost,approver@localhost")
            .build();

    static final String NS = "urn:tongyou:rights:0";
    static final String TEEN_ASKS = "My school name on the account is wrong.";
    static final String ADULT_ASKS = "My old address is still on file.";

    @BeforeAll
    static void accounts() throws Exception {
        server.ensureUser("warden", "s3cret-pass");
        server.ensureUser("approver", "s3cret-pass");
        assertThat(ConsentClient.register(server, "pupil", "13912340401", "+8613912340401", birthday(16))
                .attributeValue("type")).isEqualTo("result");
        clock.advance(Duration.ofHours(2)); // the SMS limits' windows
        assertThat(ConsentClient.register(server, "tutor", "13912340402", "+8613912340402", birthday(40))
                .attributeValue("type")).isEqualTo("result");
    }

    static String birthday(int years) {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusYears(years).toString();
    }

    static String correction(String user, String other) throws Exception {
        try (ConsentClient c = ConsentClient.login(server, user)) {
            Element answer = c.iq("set", "<correction xmlns='" + NS + "'><other>" + other + "</other></correction>");
            assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
            Element request = answer.elements().get(0).elements().get(0);
            assertThat(request.attributeValue("responded")).as("waits for staff").isNull();
            return request.attributeValue("id");
        }
    }

    /** Runs a rights command, one form (or none) submitted. */
    static Element command(ConsentClient admin, String use, Map<String, String> fields) throws Exception {
        String node = NS + "#" + use;
        String commands = "http://jabber.org/protocol/commands";
        Element first = admin.iqTo("localhost", "set", "<command xmlns='" + commands + "' node='" + node
                + "' action='execute'/>");
        assertThat(first.attributeValue("type")).as(first.asXML()).isEqualTo("result");
        if (fields == null) {
            return first;
        }
        StringBuilder form = new StringBuilder("<x xmlns='jabber:x:data' type='submit'>");
        fields.forEach((var, value) -> form.append("<field var='").append(var).append("'><value>").append(value)
                .append("</value></field>"));
        return admin.iqTo("localhost", "set", "<command xmlns='" + commands + "' node='" + node + "' sessionid='"
                + first.element("command").attributeValue("sessionid") + "' action='complete'>" + form + "</x></command>");
    }

    static List<AuditLog.Entry> reads(String subject) {
        return server.server().audit().forSubject(subject).stream()
                .filter(e -> e.action().equals("rights.request.read")).toList();
    }

    @Test
    void aMinorsRequestIsReadOnlyWithATicketAndEachReadIsAudited() throws Exception {
        String teen = correction("pupil", TEEN_ASKS);
        String adult = correction("tutor", ADULT_ASKS);
        try (ConsentClient warden = ConsentClient.login(server, "warden");
             ConsentClient approver = ConsentClient.login(server, "approver")) {
            Element open = command(warden, "open", null);
            assertThat(open.asXML()).contains(teen, "pupil@localhost", "withheld: a minor's request")
                    .doesNotContain(TEEN_ASKS).contains(adult, ADULT_ASKS);
            assertThat(reads("pupil")).as("listing a minor's request is no read of it").isEmpty();
            assertThat(reads("tutor")).hasSize(1);

            assertForbidden(command(warden, "read", Map.of("request", teen, "purpose", "curiosity")));
            String profileOnly = StaffAccessE2ETest.ticket(approver, "pupil", "warden", List.of("phone"), 2);
            assertForbidden(command(warden, "read", Map.of("request", teen, "ticket", profileOnly)));
            String approversOwn = StaffAccessE2ETest.ticket(warden, "pupil", "approver", List.of("rights-requests"), 2);
            assertForbidden(command(warden, "read", Map.of("request", teen, "ticket", approversOwn)));
            assertThat(reads("pupil")).as("no read happened yet").isEmpty();

            String ticket = StaffAccessE2ETest.ticket(approver, "pupil", "warden", List.of("rights-requests"), 2);
            Map<String, String> shown = StaffAccessE2ETest.resultFields(command(warden, "read",
                    Map.of("request", teen, "ticket", ticket)));
            assertThat(shown).containsEntry("request", teen).containsEntry("account", "pupil@localhost")
                    .containsEntry("asked", "other: " + TEEN_ASKS);
            assertThat(reads("pupil")).singleElement().satisfies(e -> {
                assertThat(e.actor()).isEqualTo("admin:warden@localhost");
                assertThat(e.details()).containsEntry("request", teen).containsEntry("ticket", ticket)
                        .containsEntry("fields", "rights-requests").containsEntry("purpose", "complaint 42");
            });

            clock.advance(Duration.ofHours(3)); // the ticket ran 2 hours
            assertForbidden(command(warden, "read", Map.of("request", teen, "ticket", ticket)));
            assertThat(reads("pupil")).hasSize(1);
            Map<String, String> adults = new LinkedHashMap<>(StaffAccessE2ETest.resultFields(command(warden, "read",
                    Map.of("request", adult, "purpose", "answer the request"))));
            assertThat(adults).containsEntry("asked", "other: " + ADULT_ASKS);
        }
        assertThat(server.server().audit().verify().intact()).isTrue();
    }
}
