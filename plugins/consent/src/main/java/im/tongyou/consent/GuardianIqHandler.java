package im.tongyou.consent;

import im.tongyou.api.AccountException;
import im.tongyou.api.AccountState;
import im.tongyou.api.Accounts;
import im.tongyou.api.Router;
import im.tongyou.api.StanzaErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.IQ;
import org.xmpp.packet.PacketError;

/**
 * The guardian flow of {@code xeps/tongyou-consent.md} §3.8 (R-CHD-3, R-CHD-4): a code to the
 * guardian's phone, then the guardian's separate consent to the children's rules, recorded with
 * actor GUARDIAN, after which the child's account is active; or the guardian's refusal, after which
 * it is deleted. Implied consent from the child's use is never taken (C-14).
 */
final class GuardianIqHandler {

    private static final Logger log = LoggerFactory.getLogger(GuardianIqHandler.class);

    private final Guardians guardians;
    private final ConsentService consents;
    private final PolicyRegistry policies;
    private final Minors minors;
    private final Accounts accounts;
    private final Router router;

    GuardianIqHandler(Guardians guardians, ConsentService consents, PolicyRegistry policies, Minors minors,
                      Accounts accounts, Router router) {
        this.guardians = guardians;
        this.consents = consents;
        this.policies = policies;
        this.minors = minors;
        this.accounts = accounts;
        this.router = router;
    }

    /** §3.8.1: a code to the guardian. */
    IQ request(IQ request) throws StanzaErrorException {
        GuardianElement.Request r = GuardianElement.Request.from(request.getChildElement());
        return ConsentIqHandler.result(request, guardians.request(request.getFrom().getNode(), r).toElement());
    }

    /** §3.8.2: the guardian consents to the children's rules in effect. */
    IQ consent(IQ request) throws StanzaErrorException {
        String child = request.getFrom().getNode();
        GuardianElement.Consent c = GuardianElement.Consent.from(request.getChildElement());
        AccountState stage = accounts.state(child);
        if (stage != AccountState.PENDING_GUARDIAN && stage != AccountState.ACTIVE_MINOR) {
            throw ConsentCondition.NOT_PENDING.error("the account does not wait for a guardian");
        }
        PolicyStore.Version rules = children(c.document(), c.version(), c.sha256());
        String guardianId = guardians.verify(child, c.code(), Guardians.ACCOUNT);
        LedgerEntry row = consents.guardianAct(child, guardianId, LedgerEntry.Action.GRANT, rules, c.client());
        try {
            minors.guardianConsented(child, c.relationship());
        } catch (AccountException e) {
            throw new StanzaErrorException(PacketError.Condition.internal_server_error, e.getMessage());
        }
        log.info("a guardian consented to account {} under the children's rules {}", child, rules.version());
        return ConsentIqHandler.result(request, ConsentElement.Record.of(row).toElement());
    }

    /** §3.8.3: the guardian refuses; the answer goes out, then the account is deleted. */
    IQ refusal(IQ request) throws StanzaErrorException {
        String child = request.getFrom().getNode();
        GuardianElement.Refusal r = GuardianElement.Refusal.from(request.getChildElement());
        if (accounts.state(child) != AccountState.PENDING_GUARDIAN) {
            throw ConsentCondition.NOT_PENDING.error("the account does not wait for a guardian");
        }
        PolicyStore.Version rules = policies.current(PolicyRegistry.CHILDREN).orElseThrow();
        String guardianId = guardians.verify(child, r.code(), Guardians.ACCOUNT);
        consents.guardianAct(child, guardianId, LedgerEntry.Action.REFUSE, rules, r.client());
        router.route(IQ.createResultIQ(request));
        if (accounts.delete(child)) {
            log.info("a guardian refused account {}: it was deleted", child);
        }
        return null;
    }

    private PolicyStore.Version children(String document, String version, String sha256) throws StanzaErrorException {
        if (!PolicyRegistry.CHILDREN.equals(document)) {
            throw StanzaErrorException.badRequest("a guardian consents to the children's rules (document 'children')");
        }
        PolicyStore.Version current = policies.current(PolicyRegistry.CHILDREN).orElseThrow();
        if (!current.version().equals(version)) {
            throw ConsentCondition.POLICY_OUTDATED.error("the children's rules in effect are " + current.version());
        }
        if (!current.sha256().equals(sha256)) {
            throw ConsentCondition.POLICY_MISMATCH.error("that is not the text of " + current.version());
        }
        return current;
    }
}
