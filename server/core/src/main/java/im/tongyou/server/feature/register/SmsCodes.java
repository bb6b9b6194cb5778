package im.tongyou.server.feature.register;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.api.sms.SmsException;
import im.tongyou.api.sms.SmsGateway;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMS verification codes ({@code xeps/tongyou-register.md}, R-SEC-3): six random digits, sent
 * through the {@link SmsGateway}, stored only as a keyed hash, valid for a few minutes, single-use,
 * burnt after a few wrong entries, and rate-limited per number and per client address. Neither the
 * number nor the code is ever logged.
 */
final class SmsCodes {

    private static final Logger log = LoggerFactory.getLogger(SmsCodes.class);

    /** Keyed-hash purposes: the code table cannot be joined with the registration table. */
    static final String PHONE_PURPOSE = "register-sms-phone";
    static final String CODE_PURPOSE = "register-sms-code";

    private final SmsCodeStore store;
    private final Crypto crypto;
    private final SmsGateway sms;
    private final Clock clock;
    private final RegisterOptions options;
    private final RateLimiter perNumber;
    private final RateLimiter perAddress;
    private final SecureRandom random = new SecureRandom();

    SmsCodes(SmsCodeStore store, Crypto crypto, SmsGateway sms, Clock clock, RegisterOptions options) {
        this.store = store;
        this.crypto = crypto;
        this.sms = sms;
        this.clock = clock;
        this.options = options;
        Duration window = Duration.ofSeconds(options.codeWindowSeconds());
        this.perNumber = new RateLimiter(clock, window, options.codesPerNumber());
        this.perAddress = new RateLimiter(clock, window, options.codesPerAddress());
    }

    /**
     * Sends a new code to the number, replacing any earlier one.
     *
     * @param e164    the number, normalised
     * @param address the client's address, for the per-address limit
     */
    RegisterElement.CodeSent issue(String e164, String address) throws StanzaErrorException {
        String numberKey = HexFormat.of().formatHex(phoneHash(e164));
        Instant last = perNumber.latest(numberKey);
        Instant now = clock.instant();
        if (!perAddress.allows(address) || !perNumber.allows(numberKey)
                || (last != null && last.plusSeconds(options.codeIntervalSeconds()).isAfter(now))) {
            throw RegisterElement.Condition.RATE_LIMITED.error("too many codes requested: try again later");
        }
        perAddress.record(address);
        perNumber.record(numberKey);
        String code = String.format("%06d", random.nextInt(1_000_000));
        String id = store.replace(phoneHash(e164), codeHash(e164, code), now,
                now.plusSeconds(options.codeValiditySeconds()));
        int minutes = Math.max(1, options.codeValiditySeconds() / 60);
        try {
            sms.send(e164, options.smsText().replace("{code}", code).replace("{minutes}", String.valueOf(minutes)));
        } catch (SmsException e) {
            store.deleteForPhone(phoneHash(e164));
            log.warn("an SMS verification code could not be sent: {}", e.getMessage());
            throw RegisterElement.Condition.SMS_FAILED.error("the SMS could not be sent: try again later");
        }
        log.debug("SMS verification code {} sent", id);
        return new RegisterElement.CodeSent(options.codeValiditySeconds(), options.maxCodeAttempts(),
                options.codeIntervalSeconds());
    }

    /**
     * Checks a code against the number's newest code and uses it up when it matches.
     *
     * @throws StanzaErrorException no code, wrong, expired, used or burnt (the spec's Errors section)
     */
    void verify(String e164, String code) throws StanzaErrorException {
        Optional<SmsCodeStore.Code> latest = store.latest(phoneHash(e164));
        if (latest.isEmpty()) {
            throw RegisterElement.Condition.NO_CODE.error("request an SMS code for this number first");
        }
        SmsCodeStore.Code stored = latest.get();
        Instant now = clock.instant();
        if (stored.usedAt() != null) {
            throw RegisterElement.Condition.CODE_USED.error("this code was used already: request a new one");
        }
        if (!stored.expiresAt().isAfter(now)) {
            throw RegisterElement.Condition.CODE_EXPIRED.error("the code expired: request a new one");
        }
        if (stored.attempts() >= options.maxCodeAttempts()) {
            throw RegisterElement.Condition.TOO_MANY_ATTEMPTS.error("too many wrong codes: request a new one");
        }
        if (code == null || !MessageDigest.isEqual(stored.codeHash(), codeHash(e164, code))) {
            store.countAttempt(stored.id());
            throw RegisterElement.Condition.CODE_MISMATCH.error("the code is wrong");
        }
        if (!store.markUsed(stored.id(), now)) {
            throw RegisterElement.Condition.CODE_USED.error("this code was used already: request a new one");
        }
    }

    /** Deletes the codes that expired; run on a schedule (AC-17: codes older than 5 minutes are gone). */
    int purgeExpired() {
        return store.purgeExpired(clock.instant());
    }

    byte[] phoneHash(String e164) {
        return crypto.keyedHash(PHONE_PURPOSE, e164);
    }

    private byte[] codeHash(String e164, String code) {
        return crypto.keyedHash(CODE_PURPOSE, e164 + "|" + code);
    }
}
