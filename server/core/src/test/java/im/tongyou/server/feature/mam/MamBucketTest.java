package im.tongyou.server.feature.mam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How rows are grouped into buckets and how a bucket's entries are written and read back. */
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

    @Test
    void entriesComeBackAsWrittenAndADamagedOrUnknownColumnIsRefused() {
        List<MamBucket.Entry> entries = List.of(
                new MamBucket.Entry(T0, "orchard", null, true, new byte[] {1, 2, 3}),
                new MamBucket.Entry(T0 + 7, "", "imported-uid-1", false, new byte[0]),
                new MamBucket.Entry(T0 + 9, "balcón 🌙", null, false, new byte[300]));
        byte[] column = MamBucket.encode(entries);
        List<MamBucket.Entry> read = MamBucket.decode(column);
        assertThat(read).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(read.get(i)).usingRecursiveComparison().isEqualTo(entries.get(i));
        }
        byte[] truncated = java.util.Arrays.copyOf(column, column.length - 10);
        assertThatThrownBy(() -> MamBucket.decode(truncated)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("damaged");
        column[0] = 9;
        assertThatThrownBy(() -> MamBucket.decode(column)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown format");
    }
}
