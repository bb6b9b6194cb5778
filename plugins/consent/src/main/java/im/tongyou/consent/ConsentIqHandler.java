package im.tongyou.consent;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.privacy.Purpose;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.xmpp.packet.IQ;

/**
 * The user's side of {@code urn:tongyou:consent:0} ({@code xeps/tongyou-consent.md} §3.1 to §3.7):
 * the policy documents, acceptance, the purposes with their state, grant, withdrawal, refusal and
 * the user's own history. Every request concerns the requester's own account.
 */
final class ConsentIqHandler {

    private final ConsentService consents;
    private final PolicyRegistry policies;
    private final Minors minors;
    private final Guardians guardians;
    private final Supplier<String> httpsUrl;

    ConsentIqHandler(ConsentService consents, PolicyRegistry policies, Minors minors, Guardians guardians,
                     Supplier<String> httpsUrl) {
        this.consents = consents;
        this.policies = policies;
        this.minors = minors;
        this.guardians = guardians;
        this.httpsUrl = httpsUrl;
    }

    /** §3.1: the documents in effect, or the versions asked for with their text. */
    IQ policy(IQ request) throws StanzaErrorException {
        String user = request.getFrom().getNode();
        PolicyElement.PolicyQuery query = PolicyElement.PolicyQuery.from(request.getChildElement());
        List<PolicyElement.Document> documents = new ArrayList<>();
        if (query.wanted().isEmpty()) {
            for (String doc : List.of(PolicyRegistry.PRIVACY, PolicyRegistry.CHILDREN)) {
                policies.current(doc).ifPresent(v -> documents.add(document(v, consents.accepted(user, doc).orElse(null),
                        null)));
            }
        } else {
            for (PolicyElement.Document wanted : query.wanted()) {
                PolicyStore.Version v = policies.find(wanted.name(), wanted.version()).orElseThrow(() ->
                        StanzaErrorException.itemNotFound("no " + wanted.name() + " " + wanted.version()));
                documents.add(document(v, consents.accepted(user, v.document()).orElse(null),
                        policies.body(v.document(), v.version()).orElseThrow()));
            }
        }
        return result(request, new PolicyElement.Policy(!consents.toReaccept(user).isEmpty(), documents).toElement());
    }

    PolicyElement.Document document(PolicyStore.Version v, String accepted, String text) {
        return new PolicyElement.Document(v.document(), v.version(), v.sha256(), v.effectiveAt(), v.material(),
                url(httpsUrl.get(), v), accepted, text);
    }

    static String url(String base, PolicyStore.Version v) {
        return base == null ? null : base + PolicyHttpHandler.PREFIX + v.document() + "/" + v.version();
    }

    /** §3.2: accepting the privacy policy in effect. */
    IQ accept(IQ request) throws StanzaErrorException {
        ConsentElement.Accept accept = ConsentElement.Accept.from(request.getChildElement());
        return result(request, ConsentElement.Record.of(consents.accept(request.getFrom().getNode(), accept)).toElement());
    }

    /** §3.3: every purpose, the notice in effect and the user's state. */
    IQ purposes(IQ request) throws StanzaErrorException {
        String user = request.getFrom().getNode();
        boolean minor = minors.isMinor(user);
        PolicyStore.Version current = consents.currentPrivacy();
        List<PolicyElement.PurposeState> states = new ArrayList<>();
        for (Purpose p : Purpose.values()) {
            ConsentService.Status status = consents.status(user, p, minor);
            Optional<PolicyStore.Notice> notice = policies.notice(p);
            LedgerEntry row = status.row();
            states.add(new PolicyElement.PurposeState(p.id(), p.separate() ? "separate" : "general",
                    p.minorsAllowed() ? "allowed" : "forbidden",
                    status.state().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    row == null ? null : row.recordedAt(), row == null ? null : row.policyVersion(),
                    notice.map(PolicyStore.Notice::hash).orElse(null), notice.map(PolicyStore.Notice::text).orElse(null)));
        }
        return result(request, new PolicyElement.Purposes(current.version(), states).toElement());
    }

    /** §3.4: a grant of one purpose; a child's needs the guardian's code. */
    IQ grant(IQ request) throws StanzaErrorException {
        String user = request.getFrom().getNode();
        ConsentElement.Grant grant = ConsentElement.Grant.from(request.getChildElement());
        LedgerEntry row = consents.grant(user, grant, () -> {
            if (grant.guardianCode() == null) {
                throw ConsentCondition.GUARDIAN_REQUIRED.error("a guardian allows this: send the code they received");
            }
            return guardians.verify(user, grant.guardianCode(), grant.purpose());
        });
        return result(request, ConsentElement.Record.of(row).toElement());
    }

    /** §3.5, §3.6: a withdrawal or refusal; an empty result when there was nothing to withdraw. */
    IQ stop(IQ request) throws StanzaErrorException {
        ConsentElement.Withdrawal w = ConsentElement.Withdrawal.from(request.getChildElement());
        Optional<LedgerEntry> row = consents.stop(request.getFrom().getNode(), w);
        IQ reply = IQ.createResultIQ(request);
        row.ifPresent(r -> reply.setChildElement(ConsentElement.Record.of(r).toElement()));
        return reply;
    }

    /** §3.7: the user's own consent history. */
    IQ history(IQ request) throws StanzaErrorException {
        ConsentElement.HistoryQuery q = ConsentElement.HistoryQuery.from(request.getChildElement());
        List<LedgerEntry> rows = consents.history(request.getFrom().getNode(), q.after(), q.max() + 1);
        boolean complete = rows.size() <= q.max();
        List<ConsentElement.Record> records = rows.stream().limit(q.max()).map(ConsentElement.Record::of).toList();
        return result(request, new ConsentElement.History(records, complete).toElement());
    }

    static IQ result(IQ request, org.dom4j.Element payload) {
        IQ reply = IQ.createResultIQ(request);
        reply.setChildElement(payload);
        return reply;
    }
}
