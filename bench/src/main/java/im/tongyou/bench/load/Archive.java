package im.tongyou.bench.load;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * XEP-0313 Message Archive Management query latency: optionally pre-fills the archive of one pair
 * of users by sending them messages, then times "the newest 50" (an RSM {@code <before/>} query,
 * XEP-0313 §4.3.2 / XEP-0059 §2.5) and paging further back with the {@code <first/>} id of each page.
 */
@Command(name = "archive", description = "MAM query latency: the newest page and paging back.")
final class Archive implements Callable<Integer> {
    @Mixin
    Common common;
    @Option(names = "--prefill", defaultValue = "0", description = "messages to send into the archive first (0: already filled)")
    int prefill;
    @Option(names = "--page", defaultValue = "50")
    int page;
    @Option(names = "--pages", defaultValue = "5", description = "pages to go back after the newest one")
    int pages;
    @Option(names = "--queries", defaultValue = "50", description = "newest-page queries (each followed by its paging)")
    int queries;
    @Option(names = "--user-offset", defaultValue = "0", description = "the pair is users <offset> and <offset+1>")
    int userOffset;

    private final BlockingQueue<El> answers = new ArrayBlockingQueue<>(16);
    private final AtomicLong arrived = new AtomicLong();
    private final AtomicLong results = new AtomicLong();

    @Override
    public Integer call() throws Exception {
        Scram.load(common.scramCache);
        try (Net net = new Net(common.target(), common.threads)) {
            XmppClient[] pair = new XmppClient[2];
            Batch batch = new Batch(net, 2, new XmppClient.Listener() {
                @Override
                public void stanza(XmppClient c, El e) {
                    if (e.name.equals("iq") && c.index == 0) {
                        answers.offer(e);
                    } else if (e.name.equals("message")) {
                        if (e.child("result") != null) {
                            results.incrementAndGet();
                        } else if (c.index == 1 && e.child("body") != null) {
                            arrived.incrementAndGet();
                            if (arrived.get() + 20 <= prefill) {
                                pair[0].send(body(pair[1]));
                            }
                        }
                    }
                }
            });
            batch.run(userOffset, 2, XmppClient.Goal.LOGIN, true, 60);
            if (batch.ok.get() < 2) {
                Common.log("archive: login failed: %s", batch.reasons);
                return 1;
            }
            pair[batch.clients.get(0).index] = batch.clients.get(0);
            pair[batch.clients.get(1).index] = batch.clients.get(1);
            Map<String, Object> r = common.result("archive");
            if (prefill > 0) {
                long t0 = System.nanoTime();
                for (int i = 0; i < Math.min(20, prefill); i++) {
                    pair[0].write(body(pair[1]));
                }
                pair[0].flush();
                while (arrived.get() < prefill) {
                    Thread.sleep(100);
                }
                double s = (System.nanoTime() - t0) / 1e9;
                Common.log("archive: prefilled %d messages in %.1f s", prefill, s);
                r.put("prefill", prefill);
                r.put("prefill_msg_per_second", prefill / s);
            }
            Histogram newest = new Histogram(3);
            Histogram paging = new Histogram(3);
            int n = 0;
            long badAnswers = 0;
            for (int q = 0; q < queries; q++) {
                El fin = query(pair[0], "q" + (n++), "<before/>", newest);
                for (int p = 0; p < pages && fin != null; p++) {
                    El first = fin.find("first");
                    if (first == null) {
                        break;
                    }
                    fin = query(pair[0], "q" + (n++), "<before>" + first.text() + "</before>", paging);
                }
                if (fin == null) {
                    badAnswers++;
                }
            }
            r.put("page", page);
            r.put("queries", queries);
            r.put("failed_queries", badAnswers);
            r.put("results_received", results.get());
            r.put("newest_p50_ms", newest.getValueAtPercentile(50) / 1000.0);
            r.put("newest_p99_ms", newest.getValueAtPercentile(99) / 1000.0);
            r.put("paging_p50_ms", paging.getValueAtPercentile(50) / 1000.0);
            r.put("paging_p99_ms", paging.getValueAtPercentile(99) / 1000.0);
            Common.print(r);
            pair[0].close();
            pair[1].close();
            Thread.sleep(500);
        } finally {
            Scram.save(common.scramCache);
        }
        return 0;
    }

    private String body(XmppClient to) {
        return "<message type='chat' to='" + to.jid + "'><body>archived message " + System.nanoTime()
                + " lorem ipsum dolor sit amet</body></message>";
    }

    /** Sends one query, waits for its answer; returns the {@code <fin/>} element or null. */
    private El query(XmppClient c, String id, String rsmPosition, Histogram into) throws InterruptedException {
        long t0 = System.nanoTime();
        c.send("<iq type='set' id='" + id + "'><query xmlns='urn:xmpp:mam:2' queryid='" + id + "'>"
                + "<set xmlns='http://jabber.org/protocol/rsm'><max>" + page + "</max>" + rsmPosition + "</set></query></iq>");
        while (true) {
            El answer = answers.poll(30, TimeUnit.SECONDS);
            if (answer == null) {
                return null;
            }
            if (id.equals(answer.attr("id"))) {
                into.recordValue((System.nanoTime() - t0) / 1000);
                return "result".equals(answer.attr("type")) ? answer.child("fin") : null;
            }
        }
    }
}
