package im.tongyou.consent;

import im.tongyou.api.privacy.Purpose;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The policy version shipped with the plugin: the Tongyou privacy policy V4.2.7 and the children's
 * rules that follow it in the same text (split where the children's rules begin), with the notices
 * of the purposes V4.2.7 describes. Published at the first start as publication 1 and 2.
 */
final class PolicySeed {

    static final String VERSION = "V4.2.7";
    /** 本版生效日期:2023年11月14日 (Beijing time). */
    static final Instant EFFECTIVE = Instant.parse("2023-11-13T16:00:00Z");
    private static final String BASE = "/im/tongyou/consent/policy/";

    private PolicySeed() {
    }

    /** Publishes the shipped version unless the registry has it; run at every start. */
    static void ensure(PolicyStore store, Instant now) {
        List<PolicyStore.Version> versions = store.versions();
        if (versions.stream().anyMatch(v -> v.document().equals(PolicyRegistry.PRIVACY) && v.version().equals(VERSION))) {
            return;
        }
        int seq = versions.stream().mapToInt(PolicyStore.Version::seq).max().orElse(0);
        String privacy = resource("privacy-" + VERSION + ".txt");
        String children = resource("children-" + VERSION + ".txt");
        store.insert(new PolicyStore.Version(PolicyRegistry.PRIVACY, VERSION, seq + 1, EFFECTIVE, now, true,
                LedgerEntry.sha256(privacy), "system"), privacy, notices());
        store.insert(new PolicyStore.Version(PolicyRegistry.CHILDREN, VERSION, seq + 2, EFFECTIVE, now, true,
                LedgerEntry.sha256(children), "system"), children, List.of());
    }

    /** The notices of V4.2.7, each a purpose it adds. */
    static List<PolicyStore.Notice> notices() {
        Properties p = new Properties();
        try (InputStream in = PolicySeed.class.getResourceAsStream(BASE + "notices-" + VERSION + ".properties")) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("the shipped notices are unreadable", e);
        }
        List<PolicyStore.Notice> notices = new ArrayList<>();
        for (String key : p.stringPropertyNames()) {
            Purpose purpose = Purpose.fromId(key).orElseThrow(() ->
                    new IllegalStateException("the shipped notices name an unknown purpose " + key));
            String text = p.getProperty(key).strip();
            notices.add(new PolicyStore.Notice(purpose, text, LedgerEntry.sha256(text), true));
        }
        return notices;
    }

    /** A shipped policy text, exactly as in the resource. */
    static String resource(String name) {
        try (InputStream in = PolicySeed.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + BASE + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the shipped policy is unreadable", e);
        }
    }
}
