package im.tongyou.server.feature.register;

import im.tongyou.api.AccountException;
import im.tongyou.api.Accounts;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.UnauthenticatedIqHandler.Client;
import im.tongyou.api.privacy.ConsentGate;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.api.privacy.DeviceIdentifiers;
import im.tongyou.server.account.AccountStore;
import im.tongyou.server.account.Usernames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.forms.DataForm;
import org.xmpp.packet.IQ;
import org.xmpp.packet.PacketError;

/**
 * Registration before authentication (XEP-0077 §3.1, §3.1.1), in the configured mode: closed
 * (service-unavailable), open (username and password) or phone (the Tongyou form with a number
 * verified by SMS, {@code xeps/tongyou-register.md}), and the SMS code request of the phone flow.
 */
final class RegisterIqHandler {

    private static final Logger log = LoggerFactory.getLogger(RegisterIqHandler.class);
    /** Keyed-hash purpose of the one-account-per-number look-up. */
    static final String PHONE_PURPOSE = "register-phone";
    private static final LocalDate EARLIEST_BIRTHDAY = LocalDate.of(1900, 1, 1);

    private final Accounts accounts;
    private final RegistrationStore store;
    private final SmsCodes codes;
    private final Crypto crypto;
    private final Clock clock;
    private final RegisterOptions options;
    private final RateLimiter registrations;
    private final ConsentGate consents;

    RegisterIqHandler(Accounts accounts, RegistrationStore store, SmsCodes codes, Crypto crypto, Clock clock,
                      RegisterOptions options, ConsentGate consents) {
        this.accounts = accounts;
        this.consents = consents;
        this.store = store;
        this.codes = codes;
        this.crypto = crypto;
        this.clock = clock;
        this.options = options;
        this.registrations = new RateLimiter(clock, Duration.ofSeconds(options.registrationWindowSeconds()),
                options.registrationsPerAddress());
    }

    /** XEP-0077 §3.1: the fields to fill, or service-unavailable when registration is closed. */
    IQ fields(IQ request, Client client) throws StanzaErrorException {
        IQ reply = IQ.createResultIQ(request);
        switch (options.mode()) {
            case open -> reply.setChildElement(RegisterForms.openQuery());
            case phone -> reply.setChildElement(RegisterForms.phoneQuery(options.policyVersion()));
            default -> throw StanzaErrorException.serviceUnavailable();
        }
        return reply;
    }

    /** XEP-0077 §3.1: a registration (or, unauthenticated, a removal the XEP does not allow). */
    IQ register(IQ request, Client client) throws StanzaErrorException {
        Element query = request.getChildElement();
        if (query.element("remove") != null) {
            // XEP-0077 §3.2: the account removed is the stream's authenticated one; there is none yet.
            throw new StanzaErrorException(PacketError.Condition.unexpected_request, "authenticate first, then remove");
        }
        if (options.mode() == RegisterOptions.Mode.closed) {
            throw StanzaErrorException.notAllowed("in-band registration is not allowed here");
        }
        requireEncrypted(client);
        // Not routed before authentication, so the minimise feature's interceptor does not see it (R-MIN-1).
        DeviceIdentifiers.refuse(query);
        String address = client.remoteAddress().getAddress().getHostAddress();
        if (!registrations.allows(address)) {
            throw RegisterElement.Condition.RATE_LIMITED.error("too many registrations from your address: try later");
        }
        String username = options.mode() == RegisterOptions.Mode.open ? registerOpen(query) : registerPhone(query);
        registrations.record(address);
        log.info("account {} registered in-band ({} mode)", username, options.mode());
        return IQ.createResultIQ(request);
    }

    /** The phone flow's first step: an SMS code for the number. */
    IQ requestCode(IQ request, Client client) throws StanzaErrorException {
        requireEncrypted(client);
        DeviceIdentifiers.refuse(request.getChildElement());
        RegisterElement.RequestCode ask = RegisterElement.RequestCode.from(request.getChildElement());
        String e164 = PhoneNumbers.toE164(ask.phone(), options.defaultRegion())
                .orElseThrow(() -> RegisterElement.Condition.INVALID_PHONE.error("not a valid mobile phone number"));
        RegisterElement.CodeSent sent = codes.issue(e164, client.remoteAddress().getAddress().getHostAddress());
        IQ reply = IQ.createResultIQ(request);
        reply.setChildElement(sent.toElement());
        return reply;
    }

    private String registerOpen(Element query) throws StanzaErrorException {
        DataForm form = RegisterForms.submittedForm(query);
        String username;
        String password;
        if (form != null) {
            if (!RegisterElement.IQ_REGISTER.equals(RegisterForms.formType(form))) {
                throw StanzaErrorException.badRequest("the form must be of type " + RegisterElement.IQ_REGISTER);
            }
            username = RegisterForms.value(form, RegisterForms.USERNAME);
            password = RegisterForms.value(form, RegisterForms.PASSWORD);
        } else {
            // Other legacy fields (name, email, ...) are not asked for and not kept (R-MIN-1).
            username = RegisterForms.legacy(query, RegisterForms.USERNAME);
            password = RegisterForms.legacy(query, RegisterForms.PASSWORD);
        }
        String name = checkUsername(required(username, RegisterForms.USERNAME));
        checkPassword(required(password, RegisterForms.PASSWORD));
        create(name, password);
        return name;
    }

    private String registerPhone(Element query) throws StanzaErrorException {
        DataForm form = RegisterForms.submittedForm(query);
        if (form == null) {
            throw RegisterElement.Condition.MISSING_FIELD.error("registration here needs the data form of "
                    + RegisterElement.NS + " with a phone number verified by SMS");
        }
        if (!RegisterElement.NS.equals(RegisterForms.formType(form))) {
            throw StanzaErrorException.badRequest("the form must be of type " + RegisterElement.NS);
        }
        PhoneSubmission submission = PhoneSubmission.from(form);
        if (!submission.policyAccepted()) {
            throw RegisterElement.Condition.POLICY_NOT_ACCEPTED.error("accept the privacy policy to register");
        }
        if (!options.policyVersion().equals(submission.policyVersion())) {
            throw RegisterElement.Condition.POLICY_OUTDATED.error("the current privacy policy is "
                    + options.policyVersion() + ": read and accept it");
        }
        String username = required(submission.username(), RegisterForms.USERNAME);
        String password = required(submission.password(), RegisterForms.PASSWORD);
        String e164 = PhoneNumbers.toE164(required(submission.phone(), RegisterForms.PHONE), options.defaultRegion())
                .orElseThrow(() -> RegisterElement.Condition.INVALID_PHONE.error("not a valid mobile phone number"));
        String code = required(submission.smsCode(), RegisterForms.SMS_CODE);
        LocalDate birthday = birthday(required(submission.birthday(), RegisterForms.BIRTHDAY));
        String name = checkUsername(username);
        checkPassword(password);
        codes.verify(e164, code);
        byte[] phoneHash = crypto.keyedHash(PHONE_PURPOSE, e164);
        if (store.phoneTaken(phoneHash)) {
            throw phoneTaken();
        }
        create(name, password);
        byte[] phoneEnc = crypto.encrypt(name, e164.getBytes(StandardCharsets.UTF_8));
        byte[] birthdayEnc = crypto.encrypt(name, birthday.toString().getBytes(StandardCharsets.UTF_8));
        if (!store.insert(name, phoneHash, phoneEnc, birthdayEnc, clock.instant(), options.policyVersion())) {
            accounts.delete(name); // another registration took the number meanwhile
            throw phoneTaken();
        }
        recordInLedger(name);
        return name;
    }

    /**
     * The acceptance is a row of the consent ledger too, when the consent plugin runs
     * ({@code xeps/tongyou-consent.md}); it also checks the birthday there (R-CHD-1). The account
     * exists by now and {@code register_policy_acceptance} holds the acceptance, so a failure here
     * does not undo the registration: the consent plugin checks the age again at login.
     */
    private void recordInLedger(String name) {
        try {
            consents.policyAccepted(name, RegistrationStore.PRIVACY_POLICY, options.policyVersion());
        } catch (RuntimeException e) {
            log.error("the consent ledger did not record the policy acceptance of account {}", name, e);
        }
    }

    private static StanzaErrorException phoneTaken() {
        // Which account has the number is never said.
        return RegisterElement.Condition.PHONE_TAKEN.error("this phone number is registered already");
    }

    private LocalDate birthday(String text) throws StanzaErrorException {
        try {
            LocalDate date = LocalDate.parse(text);
            if (date.isBefore(EARLIEST_BIRTHDAY) || date.isAfter(LocalDate.now(clock))) {
                throw RegisterElement.Condition.INVALID_BIRTHDAY.error("the birthday is not a plausible date");
            }
            return date;
        } catch (DateTimeParseException e) {
            throw RegisterElement.Condition.INVALID_BIRTHDAY.error("the birthday must be written YYYY-MM-DD");
        }
    }

    private String checkUsername(String username) throws StanzaErrorException {
        String name;
        try {
            name = Usernames.prepare(username);
        } catch (AccountException e) {
            throw new StanzaErrorException(PacketError.Condition.jid_malformed, e.getMessage());
        }
        if (PhoneNumbers.looksLikePhoneNumber(name, options.defaultRegion())) {
            throw RegisterElement.Condition.USERNAME_IS_PHONE.error("a username must not be a phone number");
        }
        if (!accounts.nameAvailable(name)) {
            // Taken now, or by a cancelled account: a cancelled address is never given out again (AC-15).
            throw new StanzaErrorException(PacketError.Condition.conflict, "the username is taken");
        }
        return name;
    }

    private static void checkPassword(String password) throws StanzaErrorException {
        if (password.length() < AccountStore.MIN_PASSWORD_LENGTH || password.isBlank()) {
            throw RegisterElement.Condition.WEAK_PASSWORD.error("the password must have at least "
                    + AccountStore.MIN_PASSWORD_LENGTH + " characters");
        }
    }

    private void create(String name, String password) throws StanzaErrorException {
        try {
            accounts.create(name, password.toCharArray());
        } catch (AccountException e) {
            throw switch (e.reason()) {
                case USERNAME_TAKEN -> new StanzaErrorException(PacketError.Condition.conflict, "the username is taken");
                case WEAK_PASSWORD -> RegisterElement.Condition.WEAK_PASSWORD.error(e.getMessage());
                default -> new StanzaErrorException(PacketError.Condition.jid_malformed, e.getMessage());
            };
        }
    }

    /** XEP-0077 §3.1: "If the requesting entity does not provide all of the requested information ... not-acceptable". */
    private static String required(String value, String field) throws StanzaErrorException {
        if (value == null || value.isEmpty()) {
            throw RegisterElement.Condition.MISSING_FIELD.error("the field '" + field + "' is required");
        }
        return value;
    }

    /** XEP-0077 §10: registration sends secrets, so only over an encrypted stream. */
    private static void requireEncrypted(Client client) throws StanzaErrorException {
        if (!client.encrypted()) {
            throw new StanzaErrorException(PacketError.Condition.not_authorized,
                    "in-band registration needs an encrypted stream");
        }
    }
}
