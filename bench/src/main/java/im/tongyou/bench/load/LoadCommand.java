package im.tongyou.bench.load;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The load generator of issue 6 (bench/README.md): scenarios against any XMPP server on this
 * machine, each printing one JSON line of figures on standard output and progress on standard error.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "XMPP load generator: register, idle, login, throughput, archive.",
        subcommands = {LoadCommand.Register.class, LoadCommand.Idle.class, LoadCommand.Login.class,
            Throughput.class, Archive.class})
public final class LoadCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadCommand()).setOverwrittenOptionsAllowed(true).execute(args));
    }

    static void reasons(Batch batch, Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        batch.reasons.forEach((k, v) -> sb.append(k).append(" x").append(v.get()).append("; "));
        r.put("failure_reasons", sb.toString());
    }

    /** XEP-0077 §3.1: creates users prefix0..prefixN-1 in-band; existing ones (conflict) are kept. */
    @Command(name = "register", description = "Provision users through in-band registration (open mode).")
    static final class Register implements Callable<Integer> {
        @Mixin
        Common common;
        @Option(names = "--users", defaultValue = "100")
        int users;
        @Option(names = "--from", defaultValue = "0")
        int from;
        @Option(names = "--timeout", defaultValue = "600")
        long timeout;

        @Override
        public Integer call() throws Exception {
            try (Net net = new Net(common.target(), common.threads)) {
                Batch batch = new Batch(net, common.concurrency, new XmppClient.Listener() { });
                double seconds = batch.run(from, users, XmppClient.Goal.REGISTER, false, timeout);
                Map<String, Object> r = common.result("register");
                r.put("users", users);
                r.put("ok", batch.ok.get());
                r.put("created", batch.created.get());
                r.put("failed", batch.failed.get());
                r.put("per_second", batch.ok.get() / seconds);
                reasons(batch, r);
                Common.print(r);
                return batch.failed.get() == 0 ? 0 : 1;
            }
        }
    }

    /** N authenticated sessions held open; the server's memory before and after. */
    @Command(name = "idle", description = "Open N authenticated sessions, hold them, report memory per session.")
    static final class Idle implements Callable<Integer> {
        @Mixin
        Common common;
        @Option(names = "--sessions", defaultValue = "10000")
        int sessions;
        @Option(names = "--hold", defaultValue = "10", description = "seconds to hold the sessions after the last is up")
        long hold;
        @Option(names = "--settle", defaultValue = "5", description = "seconds after connecting before memory is read")
        long settle;
        @Option(names = "--timeout", defaultValue = "300")
        long timeout;

        @Override
        public Integer call() throws Exception {
            Scram.load(common.scramCache);
            long rssBefore = Proc.rssKb(common.serverPid);
            long cpuBefore = Proc.cpuMicros(common.serverPid);
            try (Net net = new Net(common.target(), common.threads)) {
                Batch batch = new Batch(net, common.concurrency, new XmppClient.Listener() { });
                double seconds = batch.run(0, sessions, XmppClient.Goal.LOGIN, true, timeout);
                long cpuAfter = Proc.cpuMicros(common.serverPid);
                Common.log("idle: %d up, %d failed in %.1f s", batch.ok.get(), batch.failed.get(), seconds);
                Thread.sleep(TimeUnit.SECONDS.toMillis(settle));
                long rssAfter = Proc.rssKb(common.serverPid);
                int open = batch.open().size();
                Thread.sleep(TimeUnit.SECONDS.toMillis(Math.max(0, hold - settle)));
                int stillOpen = batch.open().size();
                Map<String, Object> r = common.result("idle");
                r.put("sessions", sessions);
                r.put("ok", batch.ok.get());
                r.put("failed", batch.failed.get());
                r.put("open_at_measure", open);
                r.put("open_at_end", stillOpen);
                r.put("connect_seconds", seconds);
                r.put("connects_per_second", batch.ok.get() / seconds);
                r.put("server_rss_before_kb", rssBefore);
                r.put("server_rss_after_kb", rssAfter);
                r.put("server_kb_per_session", open == 0 || rssBefore < 0 ? -1.0 : (rssAfter - rssBefore) / (double) open);
                r.put("server_cpu_us_per_connect", cpuBefore < 0 ? -1.0 : (cpuAfter - cpuBefore) / (double) Math.max(1, batch.ok.get()));
                r.put("generator_rss_kb", Proc.rssKb(Proc.self()));
                reasons(batch, r);
                Common.print(r);
                for (XmppClient c : batch.clients) {
                    c.close();
                }
                Thread.sleep(1000);
            } finally {
                Scram.save(common.scramCache);
            }
            return 0;
        }
    }

    /** Existing users log in (stream, SASL, bind) and log out again, C at a time, for a duration. */
    @Command(name = "login", description = "Logins per second of existing users.")
    static final class Login implements Callable<Integer> {
        @Mixin
        Common common;
        @Option(names = "--users", defaultValue = "1000")
        int users;
        @Option(names = "--duration", defaultValue = "30")
        long duration;
        @Option(names = "--warmup", defaultValue = "5")
        long warmup;

        @Override
        public Integer call() throws Exception {
            Scram.load(common.scramCache);
            Recorder latency = new Recorder(3);
            AtomicLong logins = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            AtomicInteger next = new AtomicInteger();
            long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup + duration);
            try (Net net = new Net(common.target(), common.threads)) {
                XmppClient.Listener listener = new XmppClient.Listener() {
                    @Override
                    public void ready(XmppClient c) {
                        latency.recordValue((System.nanoTime() - c.startNanos) / 1000);
                        logins.incrementAndGet();
                        c.close();
                        again(c);
                    }

                    @Override
                    public void failed(XmppClient c, String why) {
                        if (!c.settled) {
                            c.settled = true;
                            failures.incrementAndGet();
                            if (failures.get() <= 5) {
                                Common.log("login failed: %s: %s", c.user, why);
                            }
                            again(c);
                        }
                    }

                    private void again(XmppClient c) {
                        c.settled = true;
                        if (System.nanoTime() < stopAt) {
                            int n = next.getAndIncrement();
                            net.connect(n % users, XmppClient.Goal.LOGIN, false, this, n);
                        }
                    }
                };
                for (int i = 0; i < common.concurrency; i++) {
                    int n = next.getAndIncrement();
                    net.connect(n % users, XmppClient.Goal.LOGIN, false, listener, n);
                }
                Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
                latency.getIntervalHistogram();
                long l0 = logins.get();
                long f0 = failures.get();
                long server0 = Proc.cpuMicros(common.serverPid);
                long self0 = Proc.cpuMicros(Proc.self());
                long t0 = System.nanoTime();
                Thread.sleep(TimeUnit.SECONDS.toMillis(duration));
                double seconds = (System.nanoTime() - t0) / 1e9;
                long n = logins.get() - l0;
                var h = latency.getIntervalHistogram();
                Map<String, Object> r = common.result("login");
                r.put("concurrency", common.concurrency);
                r.put("logins", n);
                r.put("failures", failures.get() - f0);
                r.put("logins_per_second", n / seconds);
                r.put("login_p50_ms", h.getValueAtPercentile(50) / 1000.0);
                r.put("login_p99_ms", h.getValueAtPercentile(99) / 1000.0);
                r.put("server_cpu_us_per_login", server0 < 0 ? -1.0 : (Proc.cpuMicros(common.serverPid) - server0) / (double) Math.max(1, n));
                r.put("server_cpu_percent", server0 < 0 ? -1.0 : (Proc.cpuMicros(common.serverPid) - server0) / seconds / 1e4);
                r.put("generator_cpu_percent", (Proc.cpuMicros(Proc.self()) - self0) / seconds / 1e4);
                Common.print(r);
                Thread.sleep(2000);
            } finally {
                Scram.save(common.scramCache);
            }
            return 0;
        }
    }

    static List<Integer> range(int n) {
        return java.util.stream.IntStream.range(0, n).boxed().toList();
    }
}
