package im.tongyou.server.feature.mam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.privacy.DataKeys;
import im.tongyou.server.privacy.MasterKey;
import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How rows are grouped into buckets and how a bucket's entries and sealed stanzas are written and read back. */
class MamBucketTest {

    static final long T0 = MamIds.firstIdAt(1_800_000_000_000L);

    static MamStore.Row row(long id, String owner, String with, int size) {
        return new MamStore.Row(id, owner, with, "", null, false, new byte[size]);
    }

    @Test
    void aBatchBecomesABucketPerArchiveAndConversationInTheOrderOfTheirLastKeys() {
        List<MamStore.Row> rows = List.of(row(T0 + 5, "romeo", "juliet@x", 10), row(T0 + 1, "romeo", "juliet@x", 10),
                row(T0 + 2, "juliet", "romeo@x", 10), row(T0 + 3, "romeo", "nurse@x", 10), row(T0 + 4, "romeo", "juliet@x", 10));
        List<MamBucket> buckets = MamBucket.of(rows);
        assertThat(buckets).extracting(MamBucket::owner, MamBucket::withBare, MamBucket::firstId, MamBucket::lastId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("juliet", "romeo@x", T0 + 2, T0 + 2),
                        org.assertj.core.groups.Tuple.tuple("romeo", "nurse@x", T0 + 3, T0 + 3),
                        org.assertj.core.groups.Tuple.tuple("romeo", "juliet@x", T0 + 1, T0 + 5));
        assertThat(buckets.get(2).entries()).extracting(MamBucket.Entry::id).containsExactly(T0 + 1, T0 + 4, T0 + 5);
    }

    @Test
    void aBucketEndsWhenItWouldSpanMoreThanASecondHoldTooManyEntriesOrTooManyBytes() {
        List<MamStore.Row> rows = new ArrayList<>();
        rows.add(row(T0, "romeo", "juliet@x", 10));
        rows.add(row(T0 + MamBucket.SPAN, "romeo", "juliet@x", 10)); // exactly one second: same bucket
        rows.add(row(T0 + MamBucket.SPAN + 1, "romeo", "juliet@x", 10)); // beyond: a new one
        assertThat(MamBucket.of(rows)).hasSize(2).allSatisfy(b -> assertThat(b.lastId() - b.firstId())
                .isLessThanOrEqualTo(MamBucket.SPAN));

        rows.clear();
        for (int i = 0; i < MamBucket.MAX_ENTRIES * 2 + 1; i++) {
            rows.add(row(T0 + i, "romeo", "juliet@x", 1));
        }
        assertThat(MamBucket.of(rows)).extracting(b -> b.entries().size())
                .containsExactly(MamBucket.MAX_ENTRIES, MamBucket.MAX_ENTRIES, 1);

        rows.clear();
        for (int i = 0; i < 5; i++) {
            rows.add(row(T0 + i, "romeo", "juliet@x", MamBucket.MAX_BYTES / 2));
        }
        rows.add(row(T0 + 9, "romeo", "juliet@x", MamBucket.MAX_BYTES * 3)); // one large stanza: a bucket of its own
        assertThat(MamBucket.of(rows)).extracting(b -> b.entries().size()).containsExactly(2, 2, 1, 1);
    }

    /** Entries as the writer makes them: stanzas as plain XML. */
    static List<MamBucket.Entry> entries() {
        return List.of(
                new MamBucket.Entry(T0, "orchard", null, true, xml("<message><body>by the orchard wall</body></message>")),
                new MamBucket.Entry(T0 + 7, "", "imported-uid-1", false, new byte[0]),
                new MamBucket.Entry(T0 + 9, "balcón 🌙", null, false, xml("<message><body>light through yonder</body></message>")));
    }

    static byte[] xml(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBucketsStanzasAreSealedTogetherAndComeBackAsWrittenTheEntriesReadableWithoutTheKey(@TempDir Path dir)
            throws Exception {
        try (Database database = Database.open(TestDatabases.config(TestDatabases.Kind.H2, dir))) {
            DataKeys crypto = new DataKeys(database.dataSource(), MasterKey.load(dir), Clock.systemUTC());
            List<MamBucket.Entry> entries = entries();
            byte[] column = MamBucket.seal("romeo", entries, crypto);
            assertThat(new String(column, StandardCharsets.ISO_8859_1)).doesNotContain("orchard wall")
                    .doesNotContain("yonder");

            List<MamBucket.Entry> heads = MamBucket.decode(column);
            assertThat(heads).extracting(MamBucket.Entry::id, MamBucket.Entry::withResource, MamBucket.Entry::sid,
                    MamBucket.Entry::outgoing).containsExactly(tuple(T0, "orchard", null, true),
                    tuple(T0 + 7, "", "imported-uid-1", false), tuple(T0 + 9, "balcón 🌙", null, false));
            assertThat(heads).allSatisfy(e -> assertThat(e.stanza()).isNull());

            List<MamBucket.Entry> opened = MamBucket.open(column, "romeo", crypto, id -> true);
            for (int i = 0; i < 3; i++) {
                assertThat(opened.get(i)).usingRecursiveComparison().isEqualTo(entries.get(i));
            }
            assertThat(MamBucket.open(column, "romeo", crypto, id -> id == T0 + 9)).extracting(MamBucket.Entry::stanza)
                    .containsExactly(null, null, entries.get(2).stanza());

            // Re-addressed without the key: resources gone, stanzas untouched (still the owner's to open).
            List<MamBucket.Entry> readdressed = MamBucket.open(MamBucket.withoutResources(column), "romeo", crypto, id -> true);
            assertThat(readdressed).extracting(MamBucket.Entry::withResource).containsOnly("");
            assertThat(readdressed).extracting(MamBucket.Entry::stanza).containsExactlyElementsOf(
                    entries.stream().map(MamBucket.Entry::stanza).toList());

            crypto.encrypt("juliet", new byte[1]); // juliet has a key of her own
            assertThatThrownBy(() -> MamBucket.open(column, "juliet", crypto, id -> true))
                    .as("another owner's key").isInstanceOf(IllegalArgumentException.class);
            byte[] tampered = column.clone();
            tampered[tampered.length - 20] ^= 1;
            assertThatThrownBy(() -> MamBucket.open(tampered, "romeo", crypto, id -> true))
                    .isInstanceOf(IllegalArgumentException.class);
            crypto.destroyKey("romeo");
            assertThatThrownBy(() -> MamBucket.open(column, "romeo", crypto, id -> true))
                    .isInstanceOf(Crypto.KeyDestroyedException.class);
            assertThat(MamBucket.decode(column)).as("the entries stay readable").hasSize(3);
        }
    }

    @Test
    void aColumnOfTheMigrationWithStanzasSealedOneByOneIsReadToo(@TempDir Path dir) throws Exception {
        try (Database database = Database.open(TestDatabases.config(TestDatabases.Kind.H2, dir))) {
            DataKeys crypto = new DataKeys(database.dataSource(), MasterKey.load(dir), Clock.systemUTC());
            List<MamBucket.Entry> entries = entries();
            byte[] column = MamBucket.encodeSealed(entries.stream()
                    .map(e -> e.with(crypto.encrypt("romeo", e.stanza()))).toList());
            assertThat(MamBucket.decode(column)).extracting(MamBucket.Entry::id, MamBucket.Entry::stanza)
                    .containsExactly(tuple(T0, null), tuple(T0 + 7, null), tuple(T0 + 9, null));
            List<MamBucket.Entry> opened = MamBucket.open(column, "romeo", crypto, id -> id != T0 + 7);
            assertThat(opened.get(0)).usingRecursiveComparison().isEqualTo(entries.get(0));
            assertThat(opened.get(1).stanza()).isNull();
            assertThat(opened.get(2)).usingRecursiveComparison().isEqualTo(entries.get(2));
            assertThat(MamBucket.open(MamBucket.withoutResources(column), "romeo", crypto, id -> true))
                    .extracting(MamBucket.Entry::withResource, MamBucket.Entry::stanza)
                    .containsExactly(tuple("", entries.get(0).stanza()), tuple("", entries.get(1).stanza()),
                            tuple("", entries.get(2).stanza()));
        }
    }

    @Test
    void aDamagedOrUnknownColumnIsRefused() {
        byte[] column = MamBucket.encodeSealed(entries());
        byte[] truncated = Arrays.copyOf(column, column.length - 10);
        assertThatThrownBy(() -> MamBucket.decode(truncated)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("damaged");
        byte[] longer = Arrays.copyOf(column, column.length + 1);
        assertThatThrownBy(() -> MamBucket.decode(longer)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("damaged");
        column[0] = 9;
        assertThatThrownBy(() -> MamBucket.decode(column)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown format");
    }
}
