package im.tongyou.server.feature.roster;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by user name: the read-modify-write of one user's roster (a subscription state
 * change, a roster set) happens under that user's lock, so that two sessions changing the same
 * item at once cannot lose an update, and roster pushes leave in version order.
 */
final class UserLocks {

    private final ReentrantLock[] stripes;

    UserLocks(int count) {
        stripes = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** The lock of a user; hold it for as short a time as possible and never take a second one inside. */
    ReentrantLock of(String username) {
        return stripes[Math.floorMod(username.hashCode(), stripes.length)];
    }
}
