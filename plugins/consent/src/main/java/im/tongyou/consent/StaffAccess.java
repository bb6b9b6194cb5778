package im.tongyou.consent;

import im.tongyou.api.AccountState;
import im.tongyou.api.Accounts;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.privacy.AuditLog;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.api.privacy.Masking;
import im.tongyou.api.privacy.MinorDataAccess;
import im.tongyou.api.privacy.Purpose;
import im.tongyou.api.registration.Registrations;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Staff reads of a user's profile (R-CHD-7, R-SEC-4, AC-09; {@code xeps/tongyou-consent.md} §3.11):
 * a minor's data only with an approval ticket naming the staff member, the fields and the purpose,
 * not expired, approved by someone else; every read writes exactly one row of the core's hash-chained
 * audit log (staff, ticket, subject, fields, purpose, time); a bulk export that includes a minor is
 * refused whatever the ticket. Phone numbers are shown masked ({@link Masking#phone}).
 */
final class StaffAccess implements MinorDataAccess {

    /** The profile fields staff may read, and the content of the user's rights requests (the rights plugin's). */
    static final List<String> FIELDS = List.of("state", "age-group", "birthday", "phone", "guardian-phone", "consents",
            MinorDataAccess.RIGHTS_REQUESTS);
    /** The fields of the profile itself. */
    static final List<String> PROFILE = FIELDS.subList(0, 6);

    private final TicketStore tickets;
    private final AuditLog log;
    private final Accounts accounts;
    private final Registrations registrations;
    private final Minors minors;
    private final MinorStore minorStore;
    private final ConsentService consents;
    private final Crypto crypto;
    private final Clock clock;
    private final ConsentOptions options;

    StaffAccess(TicketStore tickets, AuditLog log, Accounts accounts, Registrations registrations, Minors minors,
                MinorStore minorStore, ConsentService consents, Crypto crypto, Clock clock, ConsentOptions options) {
        this.tickets = tickets;
        this.log = log;
        this.accounts = accounts;
        this.registrations = registrations;
        this.minors = minors;
        this.minorStore = minorStore;
        this.consents = consents;
        this.crypto = crypto;
        this.clock = clock;
        this.options = options;
    }

    /** An approver allows one staff member to read named fields of one user for a while. */
    TicketStore.Ticket approve(String approver, String subject, String staff, Set<String> fields, String purpose,
                               int hours) throws StanzaErrorException {
        if (!options.ticketApprovers().isEmpty() && !options.ticketApprovers().contains(approver)) {
            throw StanzaErrorException.forbidden("only the children's PI officer and delegates approve access");
        }
        if (approver.equals(staff)) {
            throw StanzaErrorException.forbidden("nobody approves their own access");
        }
        if (!accounts.exists(subject)) {
            throw StanzaErrorException.itemNotFound("no such account");
        }
        if (fields.isEmpty() || !FIELDS.containsAll(fields)) {
            throw StanzaErrorException.badRequest("fields are among " + FIELDS);
        }
        if (hours < 1 || hours > options.maxTicketHours()) {
            throw StanzaErrorException.badRequest("a ticket runs 1 to " + options.maxTicketHours() + " hours");
        }
        Instant now = clock.instant();
        TicketStore.Ticket t = new TicketStore.Ticket(UUID.randomUUID().toString(), subject, staff, approver,
                new LinkedHashSet<>(fields), purpose, now, now.plus(Duration.ofHours(hours)));
        tickets.insert(t);
        log.append(actor(approver), "consent.ticket.approved", subject, Map.of("ticket", t.id(), "staff", staff,
                "fields", String.join(",", fields), "purpose", purpose, "expires", t.expiresAt().toString()));
        return t;
    }

    /** One staff read of one profile: a minor's needs a valid ticket; one log row either way. */
    Map<String, String> read(String staff, String subject, String ticketId, String reason) throws StanzaErrorException {
        if (!accounts.exists(subject)) {
            throw StanzaErrorException.itemNotFound("no such account");
        }
        Set<String> fields = new LinkedHashSet<>(PROFILE);
        String purpose = reason;
        if (minors.isMinor(subject)) {
            TicketStore.Ticket t = validTicket(staff, subject, ticketId);
            fields = new LinkedHashSet<>(t.fields());
            fields.retainAll(PROFILE);
            purpose = t.purpose();
        } else if (purpose == null || purpose.isBlank()) {
            throw StanzaErrorException.badRequest("say why you read this profile");
        }
        Map<String, String> profile = profile(subject, fields);
        log.append(actor(staff), "consent.staff.read-profile", subject, Map.of("ticket", ticketId == null ? "-" : ticketId,
                "fields", String.join(",", fields), "purpose", purpose));
        return profile;
    }

    /** A bulk export of profiles: refused when any subject is a minor, whatever the ticket. */
    List<Map<String, String>> export(String staff, List<String> subjects, String reason) throws StanzaErrorException {
        if (reason == null || reason.isBlank()) {
            throw StanzaErrorException.badRequest("say why you export these profiles");
        }
        for (String subject : subjects) {
            if (!accounts.exists(subject)) {
                throw StanzaErrorException.itemNotFound("no account " + subject);
            }
            if (minors.isMinor(subject)) {
                log.append(actor(staff), "consent.staff.export-refused", subject, Map.of("purpose", reason));
                throw StanzaErrorException.forbidden("minors' data is never exported in bulk (R-CHD-7)");
            }
        }
        List<Map<String, String>> profiles = new ArrayList<>();
        for (String subject : subjects) {
            profiles.add(profile(subject, new LinkedHashSet<>(PROFILE)));
            log.append(actor(staff), "consent.staff.export-profiles", subject, Map.of("fields", String.join(",", PROFILE),
                    "purpose", reason));
        }
        return profiles;
    }

    @Override
    public boolean isMinor(String username) {
        return minors.isMinor(username);
    }

    @Override
    public String authorise(String staff, String subject, String ticketId, String field) throws StanzaErrorException {
        TicketStore.Ticket t = validTicket(staff, subject, ticketId);
        if (!t.fields().contains(field)) {
            throw StanzaErrorException.forbidden("the approval ticket does not cover " + field);
        }
        return t.purpose();
    }

    private TicketStore.Ticket validTicket(String staff, String subject, String id) throws StanzaErrorException {
        TicketStore.Ticket t = id == null ? null : tickets.find(id).orElse(null);
        if (t == null || !t.subject().equals(subject) || !t.staff().equals(staff)) {
            throw StanzaErrorException.forbidden("a minor's data needs an approval ticket for you and this user");
        }
        if (!t.expiresAt().isAfter(clock.instant())) {
            throw StanzaErrorException.forbidden("the approval ticket expired");
        }
        return t;
    }

    private Map<String, String> profile(String subject, Set<String> fields) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("user", subject);
        for (String field : fields) {
            p.put(field, switch (field) {
                case "state" -> String.valueOf(accounts.state(subject));
                case "age-group" -> ageGroup(subject);
                case "birthday" -> registrations.birthday(subject).map(Object::toString).orElse("");
                case "phone" -> registrations.phoneNumber(subject).map(Masking::phone).orElse("");
                case "guardian-phone" -> guardianPhone(subject);
                default -> granted(subject);
            });
        }
        return p;
    }

    private String ageGroup(String subject) {
        if (accounts.state(subject) == AccountState.PENDING_GUARDIAN || accounts.state(subject) == AccountState.ACTIVE_MINOR) {
            return "child";
        }
        return minors.age(subject).map(a -> a < Minors.CHILD_AGE ? "child" : a < Minors.ADULT_AGE ? "minor" : "adult")
                .orElse("unknown");
    }

    private String guardianPhone(String subject) {
        return minorStore.find(subject).filter(m -> m.guardianEnc() != null).map(m -> {
            try {
                return Masking.phone(new String(crypto.decrypt(subject, m.guardianEnc()), StandardCharsets.UTF_8));
            } catch (Crypto.KeyDestroyedException e) {
                return "";
            }
        }).orElse("");
    }

    private String granted(String subject) {
        List<String> on = new ArrayList<>();
        for (Purpose p : Purpose.values()) {
            if (consents.isGranted(subject, p)) {
                on.add(p.id());
            }
        }
        return String.join(",", on);
    }

    static String actor(String bareJid) {
        return AuditLog.admin(bareJid);
    }
}
