package im.tongyou.server.feature.muc;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmpp.packet.Packet;

/**
 * Handlers run on the senders' worker threads, concurrently for different senders: rooms must stay
 * consistent and every newcomer must still get the other occupants' presence before its own.
 */
class MucConcurrencyTest {

    static final int USERS = 24;

    @TempDir
    Path dir;
    Database database;
    MucHarness muc;
    ExecutorService pool = Executors.newFixedThreadPool(8);

    @BeforeEach
    void start() {
        database = Database.open(TestDatabases.config(TestDatabases.Kind.H2, dir));
        database.applyChangelog("im/tongyou/server/feature/muc/changelog.xml", getClass().getClassLoader());
        Set<String> users = new HashSet<>();
        for (int i = 0; i < USERS; i++) {
            users.add("witch" + i);
        }
        muc = new MucHarness(MucHarness.options(), new MucStore(database.dataSource()), users);
    }

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        database.close();
    }

    void all(List<Runnable> tasks) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (Runnable task : tasks) {
            futures.add(pool.submit(() -> {
                go.await();
                task.run();
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void manyUsersCreatingTheSameRoomAtOnceMakeOneOwner() throws Exception {
        List<Runnable> joins = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            String user = "witch" + i + "@shakespeare.lit/broom";
            String nick = "witch" + i;
            joins.add(() -> muc.enter(user, "sabbath@chat.shakespeare.lit/" + nick));
        }
        all(joins);

        List<String> created = muc.take().stream().map(Packet::toXML).filter(x -> x.contains("code=\"201\"")).toList();
        assertThat(created).hasSize(1); // one creator; the others found the room locked (item-not-found)
        assertThat(muc.ctx.rooms().find("sabbath").occupantCount()).isEqualTo(1);
    }

    @Test
    void concurrentEntriesMessagesAndExitsLeaveAConsistentRoom() throws Exception {
        muc.instantRoom("witch0@shakespeare.lit/broom", "sabbath@chat.shakespeare.lit/witch0");
        List<Runnable> joins = new ArrayList<>();
        for (int i = 1; i < USERS; i++) {
            String user = "witch" + i + "@shakespeare.lit/broom";
            String nick = "witch" + i;
            joins.add(() -> {
                muc.enter(user, "sabbath@chat.shakespeare.lit/" + nick);
                muc.message(user, "sabbath@chat.shakespeare.lit", "groupchat", "<body>hail from " + nick + "</body>");
            });
        }
        all(joins);

        Room room = muc.ctx.rooms().find("sabbath");
        assertThat(room.occupantCount()).isEqualTo(USERS);
        for (int i = 1; i < USERS; i++) {
            List<String> got = muc.to("witch" + i + "@shakespeare.lit/broom").stream().map(Packet::toXML).toList();
            int self = indexOf(got, "code=\"110\"");
            assertThat(self).isGreaterThanOrEqualTo(0);
            // Every occupant announced before the self-presence was in the room; no message came earlier.
            assertThat(got.subList(0, self)).allSatisfy(x -> assertThat(x).startsWith("<presence"));
            String own = "hail from witch" + i + "<";
            assertThat(got.stream().filter(x -> x.contains(own)).count()).isEqualTo(1);
        }

        List<Runnable> exits = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            String user = "witch" + i + "@shakespeare.lit/broom";
            exits.add(() -> muc.service.sessionGone(MucHarness.jid(user)));
        }
        all(exits);
        assertThat(muc.ctx.rooms().find("sabbath")).isNull(); // temporary, and empty
        for (int i = 0; i < USERS; i++) {
            assertThat(muc.ctx.rooms().roomsOf(MucHarness.jid("witch" + i + "@shakespeare.lit/broom"))).isEmpty();
        }
    }

    static int indexOf(List<String> stanzas, String marker) {
        for (int i = 0; i < stanzas.size(); i++) {
            if (stanzas.get(i).contains(marker)) {
                return i;
            }
        }
        return -1;
    }
}
