package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bin/tongyou user ...} against a running server: the command reaches it through the admin
 * socket in the data directory, and removing a user ends their sessions at once.
 */
class CommandLineE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    private CliRun cli(String stdin, String... args) {
        return CliRun.run(server, stdin, args);
    }

    @Test
    void userAddListAndRemoveGoThroughTheRunningServer() throws Exception {
        CliRun added = cli("queen-mab-dreams\n", "user", "add", "mercutio");
        assertThat(added.status()).isZero();
        assertThat(added.out()).contains("created mercutio");
        assertThat(server.server().accounts().exists("mercutio")).isTrue();

        CliRun taken = cli("another-password\n", "user", "add", "mercutio");
        assertThat(taken.status()).isEqualTo(1);
        assertThat(taken.err()).contains("the username is taken");

        assertThat(cli("", "user", "list").out()).contains("mercutio");

        XMPPTCPConnection mercutio = server.login("mercutio", "queen-mab-dreams");
        CompletableFuture<Exception> closed = new CompletableFuture<>();
        mercutio.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                closed.complete(e);
            }
        });

        CliRun removed = cli("", "user", "remove", "mercutio");
        assertThat(removed.status()).isZero();
        assertThat(server.server().accounts().exists("mercutio")).isFalse();
        assertThat(closed.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(XMPPException.StreamErrorException.class,
                e -> assertThat(e.getStreamError().getCondition()).isEqualTo(StreamError.Condition.not_authorized));
    }

    @Test
    void passwdChangesThePassword() throws Exception {
        server.createUser("benvolio", "peace-keeper-1");

        assertThat(cli("peace-keeper-2\n", "user", "passwd", "benvolio").status()).isZero();

        assertThat(server.login("benvolio", "peace-keeper-2").isAuthenticated()).isTrue();
    }

    @Test
    void aWrongConfigurationKeyIsNamed() {
        CliRun run = cli("", "--set", "server.domian=x", "user", "list");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("server.domian").contains("server.domain");
    }

    @Test
    void helpIsOfferedOnEveryCommand() {
        assertThat(cli("", "--help").out()).contains("run").contains("user");
        assertThat(cli("", "user", "add", "--help").out()).contains("NAME");
        assertThat(cli("", "run", "--help").out()).contains("foreground");
    }

    @Test
    void exportAndDataMapGoThroughTheRunningServer() throws Exception {
        server.ensureUser("balthasar", "peace-keeper");
        java.nio.file.Path zip = server.dataDir().resolve("balthasar.zip");
        CliRun exported = cli("", "export", "balthasar", "-o", zip.toString());
        assertThat(exported.status()).as(exported.err()).isZero();
        assertThat(exported.out()).contains("exported balthasar to " + zip);
        java.util.List<String> names = new java.util.ArrayList<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(java.nio.file.Files.newInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
                if (e.getName().equals("data.json")) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                            .contains("\"account\" : \"balthasar@" + server.domain() + "\"");
                }
            }
        }
        assertThat(names).containsExactlyInAnyOrder("README.txt", "data.json", "xep-0227.xml");
        assertThat(server.server().audit().forSubject("balthasar")).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("rights.export.written");
            assertThat(e.actor()).isEqualTo("admin:bin/tongyou");
        });

        CliRun unknown = cli("", "export", "nobody-here", "-o", server.dataDir().resolve("x.zip").toString());
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("there is no such account");

        CliRun map = cli("", "data-map");
        assertThat(map.status()).isZero();
        assertThat(map.out()).contains("| Store | Owner | Purpose |", "| roster | roster |", "| rights | rights |")
                .doesNotContain("no store");
    }
}
