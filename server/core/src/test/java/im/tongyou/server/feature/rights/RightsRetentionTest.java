package im.tongyou.server.feature.rights;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.feature.FeatureHarness;
import im.tongyou.server.feature.FeatureHarness.Client;
import im.tongyou.server.feature.MutableClock;
import im.tongyou.server.privacy.RetentionRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmpp.packet.IQ;

/**
 * The retention purge with a test clock (privacy requirements AC-17): it reports each category's
 * oldest record age, forgets an export link's token once the link expired, and removes request
 * records only after their declared period. (The audit trail's own purge is in HashChainedAuditLogTest.)
 */
class RightsRetentionTest {

    @TempDir
    Path dir;
    FeatureHarness server;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        server = FeatureHarness.start(dir, clock, new RightsPlugin());
        server.createUsers("romeo");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RetentionRegistry.Report report(List<RetentionRegistry.Report> reports, String category) {
        return reports.stream().filter(r -> r.category().equals(category)).findFirst().orElseThrow();
    }

    private long tokens() throws Exception {
        try (Connection c = server.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(token_hash) FROM rights_request")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void thePurgeRemovesWhatIsDueAndReportsTheOldestRecord() throws Exception {
        Client romeo = server.login("romeo", "orchard");
        IQ export = new IQ(IQ.Type.set, "ex1");
        export.setChildElement("export", RightsIqHandler.NS);
        assertThat(romeo.request(export).getType()).isEqualTo(IQ.Type.result);
        long auditRows = server.audit().latest(1000).size();
        assertThat(auditRows).isPositive();

        clock.advance(Duration.ofHours(23));
        List<RetentionRegistry.Report> first = server.retention().purgeAll();
        assertThat(report(first, "rights-request").oldestAge()).isEqualTo(Duration.ofHours(23));
        assertThat(report(first, "rights-request").period()).isEqualTo(Duration.ofDays(1095));
        assertThat(tokens()).as("the link still works").isEqualTo(1);

        clock.advance(Duration.ofHours(2));
        List<RetentionRegistry.Report> second = server.retention().purgeAll();
        assertThat(tokens()).as("an expired link's token is forgotten").isZero();
        assertThat(report(second, "rights-request").purged()).as("the record stays").isZero();
        assertThat(report(second, "rights-request").oldestAge()).isEqualTo(Duration.ofHours(25));

        clock.advance(Duration.ofDays(1094).minusHours(2)); // 1094 days 23 hours old
        List<RetentionRegistry.Report> third = server.retention().purgeAll();
        assertThat(report(third, "rights-request").purged()).as("not yet 1095 days old").isZero();

        clock.advance(Duration.ofDays(1));
        List<RetentionRegistry.Report> fourth = server.retention().purgeAll();
        assertThat(report(fourth, "rights-request").purged()).isEqualTo(1);
        assertThat(report(fourth, "rights-request").oldest()).isNull();
        assertThat(fourth).allSatisfy(r -> assertThat(r.error()).as(r.category()).isNull());
        assertThat(server.audit().verify().intact()).isTrue();
    }
}
