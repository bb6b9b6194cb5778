package im.tongyou.consent;

import im.tongyou.api.AccountState;
import im.tongyou.api.Accounts;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.privacy.ConsentGate;
import im.tongyou.api.privacy.Purpose;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consent gate and the consent acts ({@code xeps/tongyou-consent.md} §3, §5): a purpose is
 * granted when the user's newest ledger row for it is a grant citing a privacy version at least as
 * new as the one that last added or materially changed it (R-CON-7), the policy in effect describes
 * it, and the account's stage allows it (R-CHD-2, R-CHD-5). Every answer is read from the ledger,
 * so a withdrawal takes effect on the next request (R-CON-3).
 */
final class ConsentService implements ConsentGate {

    private static final Logger log = LoggerFactory.getLogger(ConsentService.class);

    /** A user's state for a purpose. */
    enum State { GRANTED, NOT_GRANTED, WITHDRAWN, REFUSED, RENEW, NOT_COVERED, FORBIDDEN }

    /** The state and the ledger row it comes from, if any. */
    record Status(State state, LedgerEntry row) {
    }

    /** Verifies the guardian's code for a child's grant and returns the guardian's id. */
    @FunctionalInterface
    interface GuardianCheck {
        String verify() throws StanzaErrorException;
    }

    private final LedgerStore ledger;
    private final PolicyRegistry policies;
    private final Accounts accounts;
    private final Minors minors;
    private final Clock clock;

    ConsentService(LedgerStore ledger, PolicyRegistry policies, Accounts accounts, Minors minors, Clock clock) {
        this.ledger = ledger;
        this.policies = policies;
        this.accounts = accounts;
        this.minors = minors;
        this.clock = clock;
    }

    @Override
    public boolean isGranted(String username, Purpose purpose) {
        return status(username, purpose, false).state() == State.GRANTED;
    }

    /**
     * The user's state for the purpose.
     *
     * @param minorByAge whether the user is known to be under 18 (the birthday is not read here)
     */
    Status status(String username, Purpose purpose, boolean minorByAge) {
        AccountState stage = accounts.state(username);
        if (stage == null || stage == AccountState.CANCELLED) {
            return new Status(State.NOT_GRANTED, null);
        }
        boolean minor = minorByAge || stage == AccountState.ACTIVE_MINOR || stage == AccountState.PENDING_GUARDIAN;
        if (stage == AccountState.PENDING_GUARDIAN || (minor && !purpose.minorsAllowed())) {
            return new Status(State.FORBIDDEN, null);
        }
        Optional<LedgerEntry> row = ledger.subjectOf(username).flatMap(s -> ledger.latest(s, purpose.id()));
        OptionalInt required = policies.requiredSeq(purpose);
        if (required.isEmpty()) {
            return new Status(State.NOT_COVERED, row.orElse(null));
        }
        if (row.isEmpty()) {
            return new Status(State.NOT_GRANTED, null);
        }
        LedgerEntry e = row.get();
        return switch (e.action()) {
            case WITHDRAW -> new Status(State.WITHDRAWN, e);
            case REFUSE -> new Status(State.REFUSED, e);
            case GRANT -> new Status(citedSeq(e) >= required.getAsInt() ? State.GRANTED : State.RENEW, e);
        };
    }

    private int citedSeq(LedgerEntry e) {
        return policies.find(e.policyDoc(), e.policyVersion()).map(PolicyStore.Version::seq).orElse(0);
    }

    /**
     * Grants one purpose (§3.4), after every check; a child's grant needs the guardian's code, asked
     * last so that a refused grant does not use it up.
     */
    LedgerEntry grant(String username, ConsentElement.Grant g, GuardianCheck guardian) throws StanzaErrorException {
        Purpose purpose = purpose(g.purpose());
        AccountState stage = accounts.state(username);
        if (stage == AccountState.PENDING_GUARDIAN) {
            throw ConsentCondition.GUARDIAN_REQUIRED.error("a guardian must consent to your account first");
        }
        if (!purpose.minorsAllowed() && minors.isMinor(username)) {
            throw ConsentCondition.NOT_FOR_MINORS.error("'" + purpose.id() + "' is never on for minors");
        }
        PolicyStore.Version current = currentPrivacy();
        if (!current.version().equals(g.policyVersion())) {
            throw ConsentCondition.POLICY_OUTDATED.error("the privacy policy in effect is " + current.version());
        }
        PolicyStore.Notice notice = policies.notice(purpose).orElseThrow(() ->
                ConsentCondition.NOT_COVERED.error("the policy in effect does not describe '" + purpose.id() + "'"));
        if (!notice.hash().equals(g.noticeHash())) {
            throw ConsentCondition.NOTICE_OUTDATED.error("show the notice in effect and send its hash");
        }
        if (!"separate".equals(g.type()) && !"general".equals(g.type())) {
            throw StanzaErrorException.badRequest("type is separate or general");
        }
        if (purpose.separate() && !"separate".equals(g.type())) {
            throw ConsentCondition.SEPARATE_CONSENT_REQUIRED.error("'" + purpose.id() + "' needs separate consent");
        }
        String subject = ledger.subjectFor(username, clock.instant());
        Optional<LedgerEntry> latest = ledger.latest(subject, purpose.id());
        if (latest.isPresent() && latest.get().action() == LedgerEntry.Action.GRANT
                && latest.get().policyVersion().equals(current.version()) && notice.hash().equals(latest.get().noticeHash())) {
            return latest.get(); // granted already under these very terms
        }
        boolean child = stage == AccountState.ACTIVE_MINOR;
        String guardianId = child ? guardian.verify() : null;
        LedgerEntry.Type type = purpose.separate() || child ? LedgerEntry.Type.SEPARATE : LedgerEntry.Type.GENERAL;
        return append(subject, child ? LedgerEntry.Actor.GUARDIAN : LedgerEntry.Actor.USER, guardianId, purpose.id(),
                LedgerEntry.Action.GRANT, type, current, notice.hash(), g.client(), null);
    }

    /** Withdraws (§3.5) or refuses (§3.6); a withdrawal of what is not granted records nothing. */
    Optional<LedgerEntry> stop(String username, ConsentElement.Withdrawal w) throws StanzaErrorException {
        Purpose purpose = purpose(w.purpose());
        String subject = ledger.subjectFor(username, clock.instant());
        Optional<LedgerEntry> latest = ledger.latest(subject, purpose.id());
        boolean granted = latest.isPresent() && latest.get().action() == LedgerEntry.Action.GRANT;
        if (!w.refusal() && !granted) {
            return Optional.empty();
        }
        PolicyStore.Version current = currentPrivacy();
        String notice = policies.notice(purpose).map(PolicyStore.Notice::hash).orElse(null);
        LedgerEntry.Type type = latest.map(LedgerEntry::type)
                .orElse(purpose.separate() ? LedgerEntry.Type.SEPARATE : LedgerEntry.Type.GENERAL);
        return Optional.of(append(subject, LedgerEntry.Actor.USER, null, purpose.id(),
                w.refusal() ? LedgerEntry.Action.REFUSE : LedgerEntry.Action.WITHDRAW, type, current, notice, w.client(),
                granted ? latest.get().seq() : null));
    }

    /** The user accepts the privacy policy in effect (§3.2). */
    LedgerEntry accept(String username, ConsentElement.Accept a) throws StanzaErrorException {
        if (!PolicyRegistry.PRIVACY.equals(a.document())) {
            throw StanzaErrorException.badRequest("the user accepts the privacy policy; a guardian the children's rules");
        }
        PolicyStore.Version current = currentPrivacy();
        if (!current.version().equals(a.version())) {
            throw ConsentCondition.POLICY_OUTDATED.error("the privacy policy in effect is " + current.version());
        }
        if (!current.sha256().equals(a.sha256())) {
            throw ConsentCondition.POLICY_MISMATCH.error("that is not the text of " + current.version());
        }
        return append(ledger.subjectFor(username, clock.instant()), LedgerEntry.Actor.USER, null, LedgerEntry.POLICY,
                LedgerEntry.Action.GRANT, LedgerEntry.Type.GENERAL, current, null, a.client(), null);
    }

    /** Registration recorded a policy acceptance (R-CON-6); then the age gate (R-CHD-1). */
    @Override
    public boolean policyAccepted(String username, String document, String version) {
        PolicyStore.Version v = policies.find(document, version).orElse(null);
        if (v == null) {
            log.warn("account {} accepted {} {}, which the policy registry does not know", username, document, version);
        }
        String sha = v == null ? null : v.sha256();
        ledger.append(new LedgerEntry.Draft(ledger.subjectFor(username, clock.instant()), LedgerEntry.Actor.USER, null,
                LedgerEntry.POLICY, LedgerEntry.Action.GRANT, LedgerEntry.Type.GENERAL, document, version, sha, null,
                clock.instant(), LedgerEntry.Channel.OTHER, null, null, null));
        minors.onRegistered(username);
        return true;
    }

    /** Appends a guardian's act about a child's account (R-CHD-4). */
    LedgerEntry guardianAct(String child, String guardianId, LedgerEntry.Action action, PolicyStore.Version children,
                            ConsentElement.Client client) {
        return append(ledger.subjectFor(child, clock.instant()), LedgerEntry.Actor.GUARDIAN, guardianId,
                LedgerEntry.GUARDIAN, action, LedgerEntry.Type.SEPARATE, children, children.sha256(), client, null);
    }

    /** The user's rows after a seq (§3.7). */
    List<LedgerEntry> history(String username, long after, int max) {
        return ledger.subjectOf(username).map(s -> ledger.history(s, after, max)).orElse(List.of());
    }

    /** The version of a document the user (or, for the children's rules, the guardian) accepted last. */
    Optional<String> accepted(String username, String document) {
        String topic = PolicyRegistry.CHILDREN.equals(document) ? LedgerEntry.GUARDIAN : LedgerEntry.POLICY;
        return ledger.subjectOf(username).flatMap(s -> ledger.latest(s, topic))
                .filter(e -> e.action() == LedgerEntry.Action.GRANT && e.policyDoc().equals(document))
                .map(LedgerEntry::policyVersion);
    }

    /**
     * The material versions in effect that the user (or a child's guardian) accepted an older
     * version of: they are asked to accept again (§3.9). A user who never accepted is not asked here.
     */
    List<PolicyStore.Version> toReaccept(String username) {
        List<PolicyStore.Version> due = new java.util.ArrayList<>();
        for (String doc : List.of(PolicyRegistry.PRIVACY, PolicyRegistry.CHILDREN)) {
            Optional<String> accepted = accepted(username, doc);
            Optional<PolicyStore.Version> current = policies.current(doc);
            if (accepted.isEmpty() || current.isEmpty()) {
                continue;
            }
            int acceptedSeq = policies.find(doc, accepted.get()).map(PolicyStore.Version::seq).orElse(0);
            boolean materialSince = policies.all().stream().anyMatch(v -> v.document().equals(doc) && v.material()
                    && v.seq() > acceptedSeq && v.seq() <= current.get().seq());
            if (materialSince) {
                due.add(current.get());
            }
        }
        return due;
    }

    private LedgerEntry append(String subject, LedgerEntry.Actor actor, String actorId, String topic,
                               LedgerEntry.Action action, LedgerEntry.Type type, PolicyStore.Version version,
                               String noticeHash, ConsentElement.Client client, Long withdraws) {
        return ledger.append(new LedgerEntry.Draft(subject, actor, actorId, topic, action, type, version.document(),
                version.version(), version.sha256(), noticeHash, clock.instant(), client.ledgerChannel(),
                client.appVersion(), client.locale(), withdraws));
    }

    PolicyStore.Version currentPrivacy() throws StanzaErrorException {
        return policies.current(PolicyRegistry.PRIVACY).orElseThrow(() ->
                new StanzaErrorException(org.xmpp.packet.PacketError.Condition.internal_server_error, "no privacy policy"));
    }

    static Purpose purpose(String id) throws StanzaErrorException {
        return Purpose.fromId(id).orElseThrow(() -> ConsentCondition.UNKNOWN_PURPOSE.error("no purpose '" + id + "'"));
    }
}
