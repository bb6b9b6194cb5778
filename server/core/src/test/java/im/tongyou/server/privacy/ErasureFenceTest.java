package im.tongyou.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.AccountState;
import im.tongyou.api.privacy.AuditLog;
import im.tongyou.server.feature.FeatureHarness;
import im.tongyou.server.feature.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The barrier of a cancellation (privacy requirements AC-13): the account is fenced before its
 * sessions start ending, the hooks registered before the erasure (the core's: end every session and
 * wait for its executor) run once the account is cancelled and before any store is erased, and the
 * fence is lifted when the erasure ended.
 */
class ErasureFenceTest {

    @TempDir
    Path dir;
    FeatureHarness server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theHooksRunOnAFencedAccountBeforeAnyStoreIsErased() throws Exception {
        server = FeatureHarness.start(dir, new MutableClock(Instant.parse("2026-11-29T08:00:00Z")));
        server.createUsers("rosaline", "juliet");
        List<String> seen = new ArrayList<>();
        server.fence().beforeErasure(user -> seen.add(user + " fenced=" + server.fence().isFenced(user)
                + " cancelled=" + (server.accounts().state(user) == AccountState.CANCELLED)
                + " exists=" + server.accounts().exists(user)));

        assertThat(server.cancellations().cancel("rosaline", AuditLog.SELF)).isTrue();

        assertThat(seen).containsExactly("rosaline fenced=true cancelled=true exists=true");
        assertThat(server.accounts().exists("rosaline")).as("erased afterwards").isFalse();
        assertThat(server.fence().isFenced("rosaline")).as("lifted when the erasure ended").isFalse();
        assertThat(server.fence().isFenced("juliet")).isFalse();
    }
}
