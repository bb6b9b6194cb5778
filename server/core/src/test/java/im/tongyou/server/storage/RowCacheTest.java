package im.tongyou.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What a store keeps between its writes: read once, invalidated by writes, never kept across a racing write. */
class RowCacheTest {

    final AtomicLong now = new AtomicLong();
    final AtomicInteger reads = new AtomicInteger();
    final RowCache<String> cache = new RowCache<>(3, 1_000, now::get);

    private String read(String key) {
        reads.incrementAndGet();
        return "row of " + key + " #" + reads.get();
    }

    @Test
    void aKeyIsReadOnceUntilAWriteOrItsExpiry() {
        assertThat(cache.get("juliet", this::read)).isEqualTo("row of juliet #1");
        assertThat(cache.get("juliet", this::read)).isEqualTo("row of juliet #1");

        cache.invalidate("juliet");
        assertThat(cache.get("juliet", this::read)).isEqualTo("row of juliet #2");

        now.addAndGet(1_000); // a write by another process is seen after the expiry
        assertThat(cache.get("juliet", this::read)).isEqualTo("row of juliet #3");
        assertThat(reads).hasValue(3);
    }

    @Test
    void aReadThatRacedWithAWriteIsNotKept() {
        String first = cache.get("juliet", key -> {
            String row = read(key); // read before the write committed ...
            cache.invalidate("juliet"); // ... which then invalidates
            return row;
        });
        assertThat(first).isEqualTo("row of juliet #1");
        assertThat(cache.get("juliet", this::read)).isEqualTo("row of juliet #2");
        assertThat(cache.get("juliet", this::read)).isEqualTo("row of juliet #2"); // the second read is kept
        assertThat(reads).hasValue(2);
    }

    @Test
    void staysWithinItsBound() {
        for (int i = 0; i < 10; i++) {
            cache.get("user" + i, this::read);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(3);
    }

    @Test
    void aFullCacheIsEmptied() {
        cache.get("a", this::read);
        cache.get("b", this::read);
        cache.get("c", this::read);
        cache.get("d", this::read); // full: emptied, then d kept
        assertThat(cache.get("d", this::read)).isEqualTo("row of d #4");
        assertThat(cache.get("a", this::read)).isEqualTo("row of a #5");
    }
}
