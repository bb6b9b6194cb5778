package im.tongyou.consent;

import java.util.List;
import java.util.Map;

/**
 * Walks the consent ledger's hash chain ({@code xeps/tongyou-consent.md} §6): each row must hash to
 * its stored hash, name the previous row's hash, and follow it without a gap; rows purged at the end
 * of their retention count with the hash kept for them; the last row must be the head.
 */
final class LedgerVerifier {

    private static final int PAGE = 1000;

    /**
     * The verifier's finding.
     *
     * @param intact   whether the whole chain verifies
     * @param rows     the rows checked (purged ones included)
     * @param brokenAt the seq of the first row that does not verify, 0 when intact
     * @param reason   what is wrong, or {@code null}
     */
    record Result(boolean intact, long rows, long brokenAt, String reason) {
    }

    private final LedgerStore store;

    LedgerVerifier(LedgerStore store) {
        this.store = store;
    }

    Result verify() {
        Map<Long, String> purged = store.purged();
        LedgerStore.Head head = store.head();
        String prev = LedgerEntry.GENESIS;
        long expected = 1;
        long after = 0;
        while (true) {
            List<LedgerEntry> page = store.page(after, PAGE);
            for (LedgerEntry e : page) {
                while (expected < e.seq()) {
                    String hash = purged.get(expected);
                    if (hash == null) {
                        return broken(expected, "row " + expected + " is missing");
                    }
                    prev = hash;
                    expected++;
                }
                if (e.seq() != expected) {
                    return broken(e.seq(), "row " + e.seq() + " is out of order");
                }
                if (!e.prevHash().equals(prev)) {
                    return broken(e.seq(), "row " + e.seq() + " does not name the previous row's hash");
                }
                if (!e.intact()) {
                    return broken(e.seq(), "row " + e.seq() + " was changed: its fields do not match its hash");
                }
                prev = e.hash();
                expected++;
                after = e.seq();
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        while (expected <= head.seq() && purged.containsKey(expected)) {
            prev = purged.get(expected);
            expected++;
        }
        if (expected - 1 != head.seq() || !prev.equals(head.hash())) {
            return broken(expected, "the chain ends at row " + (expected - 1) + " but the head is row " + head.seq());
        }
        return new Result(true, head.seq(), 0, null);
    }

    private static Result broken(long seq, String reason) {
        return new Result(false, seq - 1, seq, reason);
    }
}
