package im.tongyou.testkit;

import java.util.function.BooleanSupplier;

/** Waits, within a bound, for something a client will observe; fails naming what never happened. */
final class Await {

    private static final long TIMEOUT_MS = 10_000;

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(20);
        }
    }
}
