package im.tongyou.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.AccountState;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The login cache of accounts: a read that raced with a write is not kept; the cache stays bounded. */
class AccountCacheTest {

    private static final AccountCache.Entry ACTIVE = new AccountCache.Entry(AccountState.ACTIVE, true, null);
    private static final AccountCache.Entry DISABLED = new AccountCache.Entry(AccountState.ACTIVE, false, null);

    @Test
    void aReadThatRacedWithAWriteIsNotKept() {
        AccountCache cache = new AccountCache(10, Long.MAX_VALUE, () -> 0L);
        AtomicInteger loads = new AtomicInteger();
        // The loader read the old row, then the write committed and invalidated before the read returned.
        AccountCache.Entry stale = cache.get("romeo", name -> {
            loads.incrementAndGet();
            cache.invalidate("romeo");
            return ACTIVE;
        });
        assertThat(stale).isEqualTo(ACTIVE);

        AccountCache.Entry fresh = cache.get("romeo", name -> {
            loads.incrementAndGet();
            return DISABLED;
        });
        assertThat(fresh).isEqualTo(DISABLED);
        assertThat(cache.get("romeo", name -> {
            loads.incrementAndGet();
            return ACTIVE;
        })).isEqualTo(DISABLED);
        assertThat(loads).hasValue(2);
    }

    @Test
    void staysWithinItsBound() {
        AccountCache cache = new AccountCache(3, Long.MAX_VALUE, () -> 0L);
        for (int i = 0; i < 10; i++) {
            cache.get("user" + i, name -> ACTIVE);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(3);
    }
}
