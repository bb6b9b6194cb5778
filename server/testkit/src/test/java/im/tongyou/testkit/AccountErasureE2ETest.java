package im.tongyou.testkit;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AccountErasureScenario} on the test server's in-memory H2 database. */
class AccountErasureE2ETest extends AccountErasureScenario {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .set("server.domain", "localhost")
            .set("plugins.register.mode", "phone")
            .build();

    @Override
    TongyouServerExtension server() {
        return server;
    }
}
