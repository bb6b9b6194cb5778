package im.tongyou.bench.load;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * P pairs of users exchange 1:1 chat messages (RFC 6121 §5): user 2p sends to user 2p+1's full JID.
 * Closed loop: each pair keeps a window of messages in flight, the next one sent when one arrives.
 * Open loop (--rate): messages leave at a fixed total rate whatever the server does, and latency is
 * measured from the time each message was due, so a stalled server is not hidden (coordinated
 * omission). The body carries the send time; the receiver records the latency in HdrHistogram.
 */
@Command(name = "throughput", description = "1:1 chat messages between pairs: msg/s, latency, server CPU per message.")
final class Throughput implements Callable<Integer> {
    @Mixin
    Common common;
    @Option(names = "--pairs", defaultValue = "50")
    int pairs;
    @Option(names = "--window", defaultValue = "10", description = "closed loop: messages in flight per pair")
    int window;
    @Option(names = "--rate", defaultValue = "0", description = "open loop: messages per second in total (0: closed loop)")
    int rate;
    @Option(names = "--duration", defaultValue = "30")
    long duration;
    @Option(names = "--warmup", defaultValue = "5")
    long warmup;
    @Option(names = "--body-bytes", defaultValue = "100", description = "body size, padding included")
    int bodyBytes;
    @Option(names = "--user-offset", defaultValue = "0", description = "first user of the pairs")
    int userOffset;

    private final Recorder latency = new Recorder(3_600_000_000L, 3);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private volatile boolean sending = true;
    private String padding;
    private int[] live;

    private static boolean ready(XmppClient c) {
        return c != null && c.isOpen() && c.jid != null;
    }

    @Override
    public Integer call() throws Exception {
        Scram.load(common.scramCache);
        padding = " " + "x".repeat(Math.max(0, bodyBytes - 20));
        try (Net net = new Net(common.target(), common.threads)) {
            XmppClient[] clients = new XmppClient[2 * pairs];
            Batch batch = new Batch(net, common.concurrency, new XmppClient.Listener() {
                @Override
                public void stanza(XmppClient c, El e) {
                    if (e.name.equals("message")) {
                        arrived(clients, c, e);
                    }
                }
            });
            batch.run(userOffset, 2 * pairs, XmppClient.Goal.LOGIN, true, 120);
            for (XmppClient c : batch.clients) {
                clients[c.index] = c;
            }
            // Pairs whose two clients are both up; the others are reported, not silently dropped.
            live = java.util.stream.IntStream.range(0, pairs)
                    .filter(p -> ready(clients[2 * p]) && ready(clients[2 * p + 1])).toArray();
            if (live.length < pairs) {
                Common.log("throughput: %d of %d clients failed (%s); measuring %d pairs", batch.failed.get(),
                        2 * pairs, batch.reasons, live.length);
            }
            if (live.length == 0) {
                return 1;
            }
            Thread.sleep(500);
            Runnable stopOpenLoop = rate > 0 ? openLoop(clients) : closedLoop(clients);
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
            latency.getIntervalHistogram();
            long r0 = received.get();
            long server0 = Proc.cpuMicros(common.serverPid);
            long self0 = Proc.cpuMicros(Proc.self());
            long t0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(duration));
            double seconds = (System.nanoTime() - t0) / 1e9;
            long n = received.get() - r0;
            long serverCpu = Proc.cpuMicros(common.serverPid) - server0;
            long selfCpu = Proc.cpuMicros(Proc.self()) - self0;
            Histogram h = latency.getIntervalHistogram();
            sending = false;
            stopOpenLoop.run();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.get() < sent.get() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Map<String, Object> r = common.result("throughput");
            r.put("mode", rate > 0 ? "open" : "closed");
            r.put("pairs", pairs);
            r.put("pairs_up", live.length);
            r.put("window", rate > 0 ? 0 : window);
            r.put("rate", rate);
            r.put("messages", n);
            r.put("msg_per_second", n / seconds);
            r.put("p50_ms", h.getValueAtPercentile(50) / 1000.0);
            r.put("p90_ms", h.getValueAtPercentile(90) / 1000.0);
            r.put("p99_ms", h.getValueAtPercentile(99) / 1000.0);
            r.put("max_ms", h.getMaxValue() / 1000.0);
            r.put("sent_total", sent.get());
            r.put("lost", sent.get() - received.get());
            r.put("server_cpu_us_per_msg", server0 < 0 ? -1.0 : serverCpu / (double) Math.max(1, n));
            r.put("server_cpu_percent", server0 < 0 ? -1.0 : serverCpu / seconds / 1e4);
            r.put("generator_cpu_percent", selfCpu / seconds / 1e4);
            r.put("server_rss_kb", Proc.rssKb(common.serverPid));
            Common.print(r);
            for (XmppClient c : clients) {
                if (c != null) {
                    c.close();
                }
            }
            Thread.sleep(500);
        } finally {
            Scram.save(common.scramCache);
        }
        return 0;
    }

    private String message(XmppClient to, long dueNanos) {
        return "<message type='chat' to='" + to.jid + "' id='m" + sent.incrementAndGet() + "'><body>" + dueNanos
                + padding + "</body></message>";
    }

    private void arrived(XmppClient[] clients, XmppClient receiver, El e) {
        El body = e.child("body");
        if (body == null) {
            return;
        }
        String text = body.text();
        int space = text.indexOf(' ');
        long due;
        try {
            due = Long.parseLong(space < 0 ? text : text.substring(0, space));
        } catch (NumberFormatException notOurs) {
            return;
        }
        latency.recordValue(Math.max(0, (System.nanoTime() - due) / 1000));
        received.incrementAndGet();
        if (rate == 0 && sending && receiver.index % 2 == 1) {
            XmppClient sender = clients[receiver.index - 1];
            sender.send(message(receiver, System.nanoTime()));
        }
    }

    private Runnable closedLoop(XmppClient[] clients) {
        for (int p : live) {
            XmppClient sender = clients[2 * p];
            XmppClient receiver = clients[2 * p + 1];
            for (int w = 0; w < window; w++) {
                sender.write(message(receiver, System.nanoTime()));
            }
            sender.flush();
        }
        return () -> { };
    }

    private Runnable openLoop(XmppClient[] clients) {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        double interval = 1e9 / rate;
        Thread t = new Thread(() -> {
            long due = 0;
            while (sending) {
                long now = System.nanoTime() - start;
                boolean[] touched = new boolean[pairs];
                while (due * interval <= now && sending) {
                    int p = live[next.getAndIncrement() % live.length];
                    clients[2 * p].write(message(clients[2 * p + 1], start + (long) (due * interval)));
                    touched[p] = true;
                    due++;
                }
                for (int p = 0; p < pairs; p++) {
                    if (touched[p]) {
                        clients[2 * p].flush();
                    }
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "open-loop");
        t.setDaemon(true);
        t.start();
        return () -> {
            sending = false;
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

}
