package im.tongyou.consent;

import im.tongyou.api.privacy.Purpose;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The registry of policy documents (R-POL-1, R-POL-2, R-CON-7; {@code xeps/tongyou-consent.md} §5):
 * every published version of the privacy policy and the children's rules with its SHA-256, the
 * purposes each privacy version describes with their notices, and which policy version a consent
 * to a purpose must cite to be in force. Versions are few: they are kept in memory, and a version
 * counts once its effective time has come.
 */
final class PolicyRegistry {

    static final String PRIVACY = "privacy";
    static final String CHILDREN = "children";
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_BODY_CHARS = 1 << 20;

    /**
     * A version to publish.
     *
     * @param document    {@link #PRIVACY} or {@link #CHILDREN}
     * @param version     the new version's name
     * @param effectiveAt when it takes effect, or {@code null} for at once
     * @param material    whether it is a material change (policy 九)
     * @param body        its full text
     * @param notices     new or changed notices by purpose (privacy policy only): a purpose not
     *                    described by the previous version is added by its notice
     * @param changed     purposes whose terms change although their notice does not
     */
    record Publication(String document, String version, Instant effectiveAt, boolean material, String body,
                       Map<Purpose, String> notices, java.util.Set<Purpose> changed) {
    }

    /** Why a publication was refused. */
    static final class Refused extends Exception {
        Refused(String why) {
            super(why, null, false, false);
        }
    }

    private final PolicyStore store;
    private final Clock clock;
    private volatile List<PolicyStore.Version> versions = List.of();
    private final Map<String, Map<Purpose, PolicyStore.Notice>> notices = new ConcurrentHashMap<>();
    private final Map<String, String> bodies = new ConcurrentHashMap<>();

    PolicyRegistry(PolicyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Reads the published versions. */
    synchronized void load() {
        versions = List.copyOf(store.versions());
        notices.clear();
        bodies.clear();
    }

    /** Every published version, effective or not, in order of publication. */
    List<PolicyStore.Version> all() {
        return versions;
    }

    /** The version of a document in effect now. */
    Optional<PolicyStore.Version> current(String document) {
        Instant now = clock.instant();
        return versions.stream().filter(v -> v.document().equals(document) && !v.effectiveAt().isAfter(now))
                .max(Comparator.comparingInt(PolicyStore.Version::seq));
    }

    Optional<PolicyStore.Version> find(String document, String version) {
        return versions.stream().filter(v -> v.document().equals(document) && v.version().equals(version)).findFirst();
    }

    /** A version's text. */
    Optional<String> body(String document, String version) {
        if (find(document, version).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(bodies.computeIfAbsent(document + "/" + version,
                k -> store.body(document, version).orElseThrow()));
    }

    /** What a privacy version says about each purpose it describes. */
    Map<Purpose, PolicyStore.Notice> notices(String privacyVersion) {
        return notices.computeIfAbsent(privacyVersion, store::notices);
    }

    /** The notice of a purpose in the privacy policy in effect; empty when it does not describe it. */
    Optional<PolicyStore.Notice> notice(Purpose purpose) {
        return current(PRIVACY).map(v -> notices(v.version()).get(purpose));
    }

    /**
     * The publication seq a consent to the purpose must cite at least (R-CON-7): that of the latest
     * effective privacy version that added the purpose or, being material, changed its terms. Empty
     * when the policy in effect does not describe the purpose: it cannot be granted.
     */
    OptionalInt requiredSeq(Purpose purpose) {
        Instant now = clock.instant();
        Integer required = null;
        boolean covered = false;
        for (PolicyStore.Version v : versions) {
            if (!v.document().equals(PRIVACY) || v.effectiveAt().isAfter(now)) {
                continue;
            }
            PolicyStore.Notice n = notices(v.version()).get(purpose);
            covered = n != null;
            if (n != null && (required == null || (v.material() && n.changed()))) {
                required = v.seq();
            }
        }
        return covered && required != null ? OptionalInt.of(required) : OptionalInt.empty();
    }

    /** Publishes a version (an administrator's act); refused when it is not acceptable. */
    synchronized PolicyStore.Version publish(Publication p, String by) throws Refused {
        if (!PRIVACY.equals(p.document()) && !CHILDREN.equals(p.document())) {
            throw new Refused("the document must be privacy or children");
        }
        if (p.version() == null || !VERSION.matcher(p.version()).matches()) {
            throw new Refused("the version must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (find(p.document(), p.version()).isPresent()) {
            throw new Refused(p.document() + " " + p.version() + " is published already; a version never changes");
        }
        if (p.body() == null || p.body().isBlank() || p.body().length() > MAX_BODY_CHARS) {
            throw new Refused("the text must not be empty (at most " + MAX_BODY_CHARS + " characters)");
        }
        if (CHILDREN.equals(p.document()) && !(p.notices().isEmpty() && p.changed().isEmpty())) {
            throw new Refused("purposes and notices belong to the privacy policy");
        }
        Instant now = clock.instant();
        Instant effective = p.effectiveAt() == null || p.effectiveAt().isBefore(now) ? now : p.effectiveAt();
        List<PolicyStore.Notice> next = PRIVACY.equals(p.document()) ? nextNotices(p) : List.of();
        int seq = versions.stream().mapToInt(PolicyStore.Version::seq).max().orElse(0) + 1;
        PolicyStore.Version v = new PolicyStore.Version(p.document(), p.version(), seq, effective, now, p.material(),
                LedgerEntry.sha256(p.body()), by);
        if (!store.insert(v, p.body(), next)) {
            throw new Refused(p.document() + " " + p.version() + " is published already");
        }
        load();
        return v;
    }

    private List<PolicyStore.Notice> nextNotices(Publication p) throws Refused {
        PolicyStore.Version latest = versions.stream().filter(v -> v.document().equals(PRIVACY))
                .max(Comparator.comparingInt(PolicyStore.Version::seq)).orElse(null);
        Map<Purpose, PolicyStore.Notice> previous = latest == null ? Map.of() : notices(latest.version());
        Map<Purpose, PolicyStore.Notice> next = new EnumMap<>(Purpose.class);
        previous.forEach((purpose, n) -> next.put(purpose, new PolicyStore.Notice(purpose, n.text(), n.hash(),
                p.changed().contains(purpose))));
        for (Map.Entry<Purpose, String> e : p.notices().entrySet()) {
            String text = e.getValue() == null ? "" : e.getValue().strip();
            if (text.isEmpty()) {
                throw new Refused("the notice of " + e.getKey().id() + " is empty");
            }
            PolicyStore.Notice before = previous.get(e.getKey());
            boolean added = before == null;
            if (added && !p.material()) {
                throw new Refused("adding the purpose " + e.getKey().id() + " is a material change (policy 九(1))");
            }
            boolean changed = added || !before.text().equals(text) || p.changed().contains(e.getKey());
            next.put(e.getKey(), new PolicyStore.Notice(e.getKey(), text, LedgerEntry.sha256(text), changed));
        }
        for (Purpose purpose : p.changed()) {
            if (!next.containsKey(purpose)) {
                throw new Refused("the purpose " + purpose.id() + " is not described: give its notice");
            }
        }
        return new ArrayList<>(next.values());
    }
}
