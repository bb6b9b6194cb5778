package im.tongyou.server.feature;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.privacy.SubjectDataProvider;
import im.tongyou.server.feature.FeatureHarness.Client;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Presence;

/** Account removal erases every IM store, ends the user's subscriptions and leaves contacts' rosters. */
class AccountErasureTest {

    @TempDir
    Path dir;
    FeatureHarness server;

    @BeforeEach
    void start() throws Exception {
        server = FeatureHarness.startAll(dir, new MutableClock(Instant.parse("2026-11-29T10:00:00Z")));
        server.createUsers("romeo", "juliet", "nurse");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyTableWithAUserColumnHasAStoreOfPersonalData() throws Exception {
        Set<String> covered = new HashSet<>();
        for (SubjectDataProvider provider : server.subjectData().providers()) {
            provider.tables().forEach(t -> covered.add(t.toLowerCase(Locale.ROOT)));
        }
        List<String> withUser = new ArrayList<>();
        try (Connection c = server.dataSource().getConnection();
             ResultSet rs = c.getMetaData().getColumns(null, "PUBLIC", null, "USERNAME")) {
            while (rs.next()) {
                withUser.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        assertThat(withUser).contains("roster_item", "roster_pending", "blocking_item", "lastactivity");
        assertThat(covered).containsAll(withUser);
    }

    @Test
    void removingAnAccountEndsItsSubscriptionsAndErasesItsData() {
        Client romeo = server.login("romeo", "orchard");
        Client juliet = server.login("juliet", "balcony");
        FeatureHarness.mutual(romeo, juliet);
        Presence request = new Presence(Presence.Type.subscribe);
        request.setTo("nurse@example.net");
        romeo.send(request);
        IQ block = new IQ(IQ.Type.set, "b1");
        block.setChildElement("block", "urn:xmpp:blocking").addElement("item").addAttribute("jid", "tybalt@example.net");
        romeo.request(block);
        juliet.take();
        Map<String, Object> before = server.subjectData().exportAll("romeo");
        assertThat((List<?>) ((Map<?, ?>) before.get("roster")).get("items")).hasSize(2);
        assertThat((List<?>) ((Map<?, ?>) before.get("blocking")).get("blocked")).hasSize(1);

        assertThat(server.accounts().delete("romeo")).isTrue();

        assertThat(juliet.presences(p -> p.getType() == Presence.Type.unavailable
                && p.getFrom().toString().equals("romeo@example.net/orchard"))).isNotEmpty();
        Element item = null;
        for (IQ push : juliet.pushes()) {
            item = push.getChildElement().element("item");
        }
        assertThat(item).isNotNull();
        assertThat(item.attributeValue("jid")).isEqualTo("romeo@example.net");
        assertThat(item.attributeValue("subscription")).as("the cancelled address leaves her roster (AC-13 (c))")
                .isEqualTo("remove");
        Client nurse = server.login("nurse", "kitchen");
        assertThat(nurse.presences(p -> p.getType() == Presence.Type.subscribe)).as("the request went with him").isEmpty();

        Map<String, Object> after = server.subjectData().exportAll("romeo");
        assertThat((List<?>) ((Map<?, ?>) after.get("roster")).get("items")).isEmpty();
        assertThat((List<?>) ((Map<?, ?>) after.get("blocking")).get("blocked")).isEmpty();
        assertThat((Map<?, ?>) after.get("lastactivity")).isEmpty();
        assertThat(server.accounts().exists("romeo")).isFalse();
    }
}
