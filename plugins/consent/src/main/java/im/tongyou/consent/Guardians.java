package im.tongyou.consent;

import im.tongyou.api.AccountState;
import im.tongyou.api.Accounts;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.api.privacy.Purpose;
import im.tongyou.api.registration.Registrations;
import im.tongyou.api.sms.SmsException;
import im.tongyou.api.sms.SmsGateway;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guardian's verification by SMS (R-CHD-3, {@code xeps/tongyou-consent.md} §3.8): the child
 * names the guardian's number, the guardian receives a six-digit code bound to what it allows (the
 * child's account, or one purpose), and the code proves the guardian's act. Codes are stored only as
 * keyed hashes, single-use, valid at most five minutes, and burnt after the allowed wrong entries.
 */
final class Guardians {

    private static final Logger log = LoggerFactory.getLogger(Guardians.class);
    /** What a code allows when it is not a purpose: the consent to the child's account. */
    static final String ACCOUNT = LedgerEntry.GUARDIAN;
    private static final String PHONE_PURPOSE = "consent-guardian-phone";
    private static final String CODE_PURPOSE = "consent-guardian-code";

    private final MinorStore store;
    private final Accounts accounts;
    private final Registrations registrations;
    private final Crypto crypto;
    private final SmsGateway sms;
    private final Clock clock;
    private final ConsentOptions options;
    private final Supplier<String> childrenRulesUrl;
    private final SecureRandom random = new SecureRandom();

    Guardians(MinorStore store, Accounts accounts, Registrations registrations, Crypto crypto, SmsGateway sms,
              Clock clock, ConsentOptions options, Supplier<String> childrenRulesUrl) {
        this.store = store;
        this.accounts = accounts;
        this.registrations = registrations;
        this.crypto = crypto;
        this.sms = sms;
        this.clock = clock;
        this.options = options;
        this.childrenRulesUrl = childrenRulesUrl;
    }

    /** Sends a code to the guardian (§3.8.1). */
    GuardianElement.CodeSent request(String child, GuardianElement.Request r) throws StanzaErrorException {
        MinorStore.Minor minor = store.find(child).orElseThrow(() ->
                ConsentCondition.NOT_PENDING.error("only a child's account under 14 has a guardian here"));
        AccountState stage = accounts.state(child);
        String codeFor = ACCOUNT;
        String what = "其使用通友（儿童个人信息保护规则）";
        if (r.forPurpose() != null) {
            Purpose p = ConsentService.purpose(r.forPurpose());
            if (stage != AccountState.ACTIVE_MINOR) {
                throw ConsentCondition.GUARDIAN_REQUIRED.error("a guardian must consent to the account first");
            }
            if (!p.minorsAllowed()) {
                throw ConsentCondition.NOT_FOR_MINORS.error("'" + p.id() + "' is never on for minors");
            }
            codeFor = p.id();
            what = "开启“" + p.id() + "”";
        }
        String e164 = guardianNumber(child, minor, stage, r.phone());
        Instant now = clock.instant();
        if (minor.codeSentAt() != null && minor.codeSentAt().plusSeconds(options.guardianCodeIntervalSeconds()).isAfter(now)) {
            throw ConsentCondition.RATE_LIMITED.error("wait before asking for another code");
        }
        boolean sameWindow = minor.windowStart() != null && minor.windowStart().plus(Duration.ofDays(1)).isAfter(now);
        int sent = sameWindow ? minor.codesSent() : 0;
        if (sent >= options.guardianCodesPerDay()) {
            throw ConsentCondition.RATE_LIMITED.error("too many codes today");
        }
        String code = String.format("%06d", random.nextInt(1_000_000));
        store.storeCode(child, codeHash(child, codeFor, code), codeFor,
                now.plusSeconds(options.guardianCodeValiditySeconds()), now, sent + 1, sameWindow ? minor.windowStart() : now);
        String text = options.guardianSmsText().replace("{code}", code)
                .replace("{minutes}", Integer.toString(options.guardianCodeValiditySeconds() / 60))
                .replace("{child}", child).replace("{what}", what).replace("{url}", childrenRulesUrl.get());
        try {
            sms.send(e164, text);
        } catch (SmsException e) {
            store.clearCode(child);
            log.warn("the SMS to the guardian of {} failed: {}", child, e.getMessage());
            throw ConsentCondition.SMS_FAILED.error("the SMS could not be sent");
        }
        return new GuardianElement.CodeSent(options.guardianCodeValiditySeconds(), options.maxGuardianCodeAttempts(),
                options.guardianCodeIntervalSeconds());
    }

    private String guardianNumber(String child, MinorStore.Minor minor, AccountState stage, String typed)
            throws StanzaErrorException {
        if (typed == null) {
            if (minor.guardianEnc() == null) {
                throw StanzaErrorException.badRequest("give the guardian's phone number");
            }
            try {
                return new String(crypto.decrypt(child, minor.guardianEnc()), StandardCharsets.UTF_8);
            } catch (Crypto.KeyDestroyedException e) {
                throw StanzaErrorException.itemNotFound("the account's data is erased");
            }
        }
        String e164 = Phones.toE164(typed).orElseThrow(() ->
                ConsentCondition.INVALID_PHONE.error("not a valid mobile phone number"));
        byte[] hash = crypto.keyedHash(PHONE_PURPOSE, e164);
        if (minor.guardianHash() != null && MessageDigest.isEqual(hash, minor.guardianHash())) {
            return e164;
        }
        if (stage != AccountState.PENDING_GUARDIAN) {
            throw StanzaErrorException.notAllowed("the guardian on file is asked; support changes a guardian");
        }
        if (registrations.phoneNumber(child).map(e164::equals).orElse(false)) {
            throw ConsentCondition.GUARDIAN_IS_CHILD.error("the guardian's number must not be the child's own");
        }
        if (store.childrenOf(hash, child) >= options.maxChildrenPerGuardian()) {
            throw ConsentCondition.TOO_MANY_CHILDREN.error("this number is the guardian of too many accounts");
        }
        store.setGuardian(child, UUID.randomUUID().toString(), hash,
                crypto.encrypt(child, e164.getBytes(StandardCharsets.UTF_8)));
        return e164;
    }

    /**
     * Checks a code for what it allows and uses it up; returns the guardian's id.
     */
    String verify(String child, String code, String codeFor) throws StanzaErrorException {
        MinorStore.Minor minor = store.find(child).orElseThrow(() ->
                ConsentCondition.NO_CODE.error("no code was sent to a guardian"));
        if (minor.codeHash() == null || !codeFor.equals(minor.codeFor())) {
            throw ConsentCondition.NO_CODE.error("ask for a code for this first");
        }
        if (minor.codeAttempts() >= options.maxGuardianCodeAttempts()) {
            throw ConsentCondition.TOO_MANY_ATTEMPTS.error("the code is burnt: ask for a new one");
        }
        if (!minor.codeExpiresAt().isAfter(clock.instant())) {
            throw ConsentCondition.CODE_EXPIRED.error("the code expired: ask for a new one");
        }
        if (code == null || !MessageDigest.isEqual(codeHash(child, codeFor, code), minor.codeHash())) {
            store.countWrongEntry(child);
            throw ConsentCondition.CODE_MISMATCH.error("the code is wrong");
        }
        store.clearCode(child);
        return minor.guardianId();
    }

    private byte[] codeHash(String child, String codeFor, String code) {
        return crypto.keyedHash(CODE_PURPOSE, child + "\n" + codeFor + "\n" + code);
    }
}
