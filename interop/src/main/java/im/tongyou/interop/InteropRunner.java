package im.tongyou.interop;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.igniterealtime.smack.inttest.AbstractSmackIntTest;
import org.igniterealtime.smack.inttest.Configuration;
import org.igniterealtime.smack.inttest.FailedTest;
import org.igniterealtime.smack.inttest.SmackIntegrationTestFramework;
import org.igniterealtime.smack.inttest.SmackIntegrationTestFramework.TestRunResult;
import org.igniterealtime.smack.inttest.TestNotPossible;
import org.reflections.Reflections;

/**
 * Runs Smack's XMPP interop tests against a running server one test class at a time, so that a test
 * that throws (or hangs) costs only its own class, never the rest of the run. Classes listed in the
 * disabled file (one per line, {@code ClassName  # reason}) are not run; their reasons are printed.
 * Exits 1 when a test failed or a class could not run, 0 otherwise.
 *
 * <p>A class that fails runs again, with fresh accounts, up to {@code interop.attempts} runs in all
 * (3), and counts by its last run; every earlier failure is printed ({@code FLAKY}) and the classes
 * that needed another run are summed up at the end. Two races of the framework's own,
 * diagnosed against Smack 4.5.0-beta5, are the reason: (1) in the modular connection the thread that
 * starts TLS after {@code <proceed/>} asks for write interest outside the reactor's callback lock,
 * and the reactor thread, finishing the callback that read {@code <proceed/>}, can overwrite it with
 * read interest only, so the ClientHello is never written and "TLS handshake to finish" times out
 * (XmppTcpTransportModule, StartTlsStateDescriptor.transitionInto and onChannelSelected); (2) the
 * roster tests' clean-up removes a pending subscription, the server then rightly delivers
 * {@code unsubscribe} to the contact (RFC 6121 Appendix A.3.3), and the next test's listener, added
 * without waiting for it, can catch it. A class failing in every run fails the stage. Race (1) hit
 * one class in all three runs in CI, so the modular connection kinds are now disabled in the file
 * ({@code connection:} lines, with the reason); the other runs remain for race (2).
 *
 * <p>System properties: {@code interop.service} (the domain, resolved to the server's address),
 * {@code interop.tlsPin} (the server certificate's pin, {@code CERTSHA256:...}),
 * {@code interop.registration} ({@code serviceAdministration}, {@code inBandRegistration} or
 * {@code disabled}), {@code interop.admin} and {@code interop.adminPassword}, or
 * {@code interop.accounts} ({@code user1:pw1,user2:pw2,user3:pw3} when registration is disabled),
 * {@code interop.disabled} (the file; {@code connection:<kind>  # reason} lines disable connection
 * kinds), {@code interop.disabledConnections} (connection kinds the server does not offer, such as
 * XMPP over WebSocket), {@code interop.classTimeoutSeconds}, {@code interop.attempts},
 * {@code interop.debugger} (the framework's debugger, such as {@code console}, to see every stanza),
 * {@code interop.only} (a regular expression of the class names to run, for working on one feature).
 */
public final class InteropRunner {

    private InteropRunner() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        Map<String, String> disabled = readDisabled(Path.of(System.getProperty("interop.disabled", "interop/disabled-tests.txt")));
        long classTimeout = Long.parseLong(System.getProperty("interop.classTimeoutSeconds", "300"));
        int attempts = Integer.parseInt(System.getProperty("interop.attempts", "3"));
        List<Class<? extends AbstractSmackIntTest>> classes = testClasses();
        String only = System.getProperty("interop.only", "");
        if (!only.isEmpty()) {
            classes.removeIf(c -> !c.getSimpleName().matches(only));
        }
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        int skippedClasses = 0;
        List<String> failures = new ArrayList<>();
        List<String> flaky = new ArrayList<>();
        ExecutorService runner = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "interop-class");
            t.setDaemon(true);
            return t;
        });
        for (Class<? extends AbstractSmackIntTest> test : classes) {
            String name = test.getSimpleName();
            if (disabled.containsKey(name)) {
                out.printf("DISABLED %-55s %s%n", name, disabled.get(name));
                continue;
            }
            Configuration config = configuration(test);
            ClassOutcome outcome = runClass(runner, config, classTimeout);
            List<String> earlier = new ArrayList<>();
            for (int attempt = 2; !outcome.clean() && attempt <= attempts; attempt++) {
                // Another run with fresh accounts: the framework's own races (see the class comment)
                // must not fail the stage, but every earlier failure is printed all the same.
                for (String problem : outcome.problems()) {
                    out.printf("FLAKY    %-55s run %d: %s%n", name, attempt - 1, problem);
                    earlier.add(problem);
                }
                outcome = runClass(runner, config, classTimeout);
                if (outcome.clean()) {
                    flaky.add(name + " (run " + attempt + "; before: " + String.join("; ", earlier) + ")");
                }
            }
            for (String problem : outcome.problems()) {
                failed++;
                failures.add(name + ": " + problem);
                out.printf("FAILED   %-55s %s%n", name, problem);
            }
            TestRunResult result = outcome.result();
            if (result == null) {
                continue;
            }
            passed += result.getSuccessfulTests().size();
            skipped += result.getNotPossibleTests().size();
            for (TestNotPossible np : result.getNotPossibleTests()) {
                out.printf("SKIPPED  %-55s %s%n", np.concreteTest, np.testNotPossibleException.getMessage());
            }
            for (Map.Entry<Class<? extends AbstractSmackIntTest>, Throwable> e : result.getImpossibleTestClasses().entrySet()) {
                skippedClasses++;
                out.printf("SKIPPED  %-55s (whole class) %s%n", e.getKey().getSimpleName(), e.getValue().getMessage());
            }
            out.printf("CLASS    %-55s passed %d, failed %d, skipped %d%n", name, result.getSuccessfulTests().size(),
                    result.getFailedTests().size(), result.getNotPossibleTests().size());
        }
        out.println();
        out.printf("Smack interop: %d passed, %d failed, %d skipped, %d classes skipped whole (the server lacks their"
                + " feature), %d classes disabled, %d classes passed only on a later run%n", passed, failed, skipped,
                skippedClasses, disabled.size(), flaky.size());
        failures.forEach(f -> out.println("  failure: " + f));
        flaky.forEach(f -> out.println("  passed on a later run: " + f));
        System.exit(failed == 0 ? 0 : 1);
    }

    /**
     * One class's run. The framework throws "No integration tests selected" when a class's
     * preconditions fail (the server lacks the feature): its partial result still says why, so
     * the class is reported as skipped rather than failed.
     */
    private static final class ClassRun extends SmackIntegrationTestFramework {
        ClassRun(Configuration config) {
            super(config);
        }

        TestRunResult runToResult() throws Exception {
            try {
                return run();
            } catch (IllegalArgumentException e) {
                if (testRunResult != null && "No integration tests selected.".equals(e.getMessage())) {
                    return testRunResult;
                }
                throw e;
            }
        }
    }

    /** One run of a class: its result (null when it aborted or hung) and what went wrong. */
    private record ClassOutcome(TestRunResult result, List<String> problems) {
        boolean clean() {
            return problems.isEmpty();
        }
    }

    private static ClassOutcome runClass(ExecutorService runner, Configuration config, long timeoutSeconds)
            throws InterruptedException {
        Future<TestRunResult> run = runner.submit(() -> new ClassRun(config).runToResult());
        try {
            TestRunResult result = run.get(timeoutSeconds, TimeUnit.SECONDS);
            List<String> problems = new ArrayList<>();
            for (FailedTest f : result.getFailedTests()) {
                problems.add(f.concreteTest + ": " + f.failureReason);
            }
            return new ClassOutcome(result, problems);
        } catch (TimeoutException e) {
            run.cancel(true);
            return new ClassOutcome(null, List.of("the class did not finish within " + timeoutSeconds + " s"));
        } catch (java.util.concurrent.ExecutionException e) {
            return new ClassOutcome(null, List.of("the class aborted: " + e.getCause()));
        }
    }

    private static Configuration configuration(Class<? extends AbstractSmackIntTest> test) throws Exception {
        Configuration.Builder builder = Configuration.builder()
                .setService(System.getProperty("interop.service", "localhost"))
                .setSecurityMode("required")
                .setReplyTimeout(System.getProperty("interop.replyTimeout", "10000"))
                .setDnsResolver("javax")
                .setVerbose(false)
                .addEnabledTest(test);
        String disabledConnections = String.join(",", DISABLED_CONNECTIONS);
        if (!disabledConnections.isEmpty()) {
            builder.setDisabledConnections(disabledConnections);
        }
        String debugger = System.getProperty("interop.debugger");
        if (debugger != null && !debugger.isEmpty()) {
            builder.setDebugger(debugger);
        }
        String pin = System.getProperty("interop.tlsPin");
        if (pin != null) {
            builder.setServiceTlsPin(pin);
        }
        String registration = System.getProperty("interop.registration", "serviceAdministration");
        switch (registration) {
            case "serviceAdministration" -> builder.setAdminAccountUsernameAndPassword(
                    System.getProperty("interop.admin"), System.getProperty("interop.adminPassword"));
            case "inBandRegistration" -> { }
            case "disabled" -> {
                String[] accounts = System.getProperty("interop.accounts").split(",");
                String[][] a = new String[3][];
                for (int i = 0; i < 3; i++) {
                    a[i] = accounts[i].split(":", 2);
                }
                builder.setUsernamesAndPassword(a[0][0], a[0][1], a[1][0], a[1][1], a[2][0], a[2][1]);
            }
            default -> throw new IllegalArgumentException("unknown interop.registration " + registration);
        }
        return builder.build();
    }

    /** Every concrete test class of the framework's packages, by name. */
    @SuppressWarnings("unchecked")
    private static List<Class<? extends AbstractSmackIntTest>> testClasses() {
        Reflections reflections = new Reflections("org.jivesoftware.smack", "org.jivesoftware.smackx",
                "org.igniterealtime.smack");
        List<Class<? extends AbstractSmackIntTest>> classes = new ArrayList<>();
        for (Class<? extends AbstractSmackIntTest> c : reflections.getSubTypesOf(AbstractSmackIntTest.class)) {
            if (!Modifier.isAbstract(c.getModifiers()) && !c.getName().contains("$")
                    && !c.getName().startsWith("org.igniterealtime.smack.inttest")) {
                classes.add(c);
            }
        }
        classes.sort(Comparator.comparing(Class::getSimpleName));
        return classes;
    }

    /** Connection kinds not used: from {@code interop.disabledConnections} and the file's {@code connection:} lines. */
    private static final List<String> DISABLED_CONNECTIONS = new ArrayList<>();

    private static Map<String, String> readDisabled(Path file) throws IOException {
        for (String kind : System.getProperty("interop.disabledConnections", "").split(",")) {
            if (!kind.isBlank()) {
                DISABLED_CONNECTIONS.add(kind.strip());
            }
        }
        Map<String, String> disabled = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return disabled;
        }
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int hash = trimmed.indexOf('#');
            String name = (hash < 0 ? trimmed : trimmed.substring(0, hash)).strip();
            String reason = hash < 0 ? "" : trimmed.substring(hash + 1).strip();
            if (reason.isEmpty()) {
                throw new IllegalArgumentException(file + ": the disabled entry " + name + " has no reason");
            }
            if (name.startsWith("connection:")) {
                DISABLED_CONNECTIONS.add(name.substring("connection:".length()).strip());
                System.out.printf("DISABLED %-55s %s%n", name, reason);
            } else {
                disabled.put(name, reason);
            }
        }
        return disabled;
    }
}
