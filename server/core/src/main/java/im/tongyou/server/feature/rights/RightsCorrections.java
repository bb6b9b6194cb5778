package im.tongyou.server.feature.rights;

import im.tongyou.api.AccountState;
import im.tongyou.api.PluginContext;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.privacy.AuditLog;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.api.registration.Registrations;
import im.tongyou.server.feature.register.BirthdayCorrections;
import im.tongyou.server.feature.vcard.Profiles;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.StreamError;

/**
 * Correction requests ({@code xeps/tongyou-rights.md} §3.5, §5; PIPL art. 46, R-DSR-2, AC-26). The
 * profile fields are corrected at once under the profile's own rules. What needs a person waits for
 * staff: a description of other data, and a birthday that moves the user across an age line of the
 * children's rules (under 14, under 18), because the minors' protections hang on it (R-CHD-1,
 * R-CHD-7) and registration data may need an identity check (policy 五(一)). When staff apply such a
 * birthday, the user's sessions end, so that the age check of the next login (the consent plugin's)
 * puts the account where the new age belongs.
 */
final class RightsCorrections {

    private static final Logger log = LoggerFactory.getLogger(RightsCorrections.class);
    /** Ages are counted in Beijing time, as the consent plugin counts them. */
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** The age lines of the children's rules: under 14 (儿童), under 18 (未成年人), adult. */
    enum AgeGroup {
        CHILD, MINOR, ADULT;

        static AgeGroup of(LocalDate birthday, LocalDate today) {
            int age = Period.between(birthday, today).getYears();
            return age < 14 ? CHILD : age < 18 ? MINOR : ADULT;
        }
    }

    private final PluginContext ctx;
    private final RightsStore store;
    private final RightsDeadlines deadlines;

    RightsCorrections(PluginContext ctx, RightsStore store, RightsDeadlines deadlines) {
        this.ctx = ctx;
        this.store = store;
        this.deadlines = deadlines;
    }

    /** Records the request; applies it at once when nothing in it needs staff. */
    RightsStore.Request request(String username, CorrectionElement correction) throws StanzaErrorException {
        if (!correction.fields().isEmpty()) {
            profiles().check(correction.fields()); // the profile's rules and errors (tongyou-profile §4)
        }
        // An account waiting for a guardian stores nothing but registration data (R-CHD-2): all its corrections wait.
        boolean review = correction.other() != null || crossesAgeLine(username, correction.fields().get("birthday"))
                || ctx.accounts().state(username) == AccountState.PENDING_GUARDIAN;
        Instant now = ctx.clock().instant();
        if (!review) {
            apply(username, correction);
        }
        RightsStore.Request r = new RightsStore.Request(UUID.randomUUID().toString(), username, "correction", now, now,
                review ? null : now, deadlines.deadline(now), null, 0, review ? null : "done", null);
        store.insert(r, null, ctx.crypto().encrypt(username, correction.toJson()));
        ctx.audit().append(AuditLog.SELF, review ? "rights.correction.requested" : "rights.correction.done", username,
                Map.of("request", r.id(), "channel", "xmpp", "fields", String.join(",", correction.fields().keySet())
                        + (correction.other() == null ? "" : ",other")));
        return r;
    }

    /** Staff apply an open request (a correction made by hand, for {@code <other/>}); false when it is not open. */
    boolean apply(RightsStore.Request r, String staff) throws StanzaErrorException {
        if (r.kind().equals("correction")) {
            CorrectionElement correction = detail(r);
            Optional<AgeGroup> before = registeredAgeGroup(r.username());
            apply(r.username(), correction);
            if (before.isPresent() && !before.equals(registeredAgeGroup(r.username()))) {
                // The consent plugin checks the age when a session binds (R-CHD-1): make it check now.
                ctx.sessions().of(r.username()).forEach(s -> s.close(StreamError.Condition.not_authorized,
                        "your birthday was corrected: log in again"));
                log.info("account {}: a corrected birthday changed its age group; its sessions ended", r.username());
            }
        }
        return respond(r, staff, "done", null);
    }

    /** Staff refuse an open request with a reason code; false when it is not open. */
    boolean refuse(RightsStore.Request r, String staff, String reason) {
        return respond(r, staff, "refused", reason);
    }

    /** What a correction asked for. */
    CorrectionElement detail(RightsStore.Request r) throws StanzaErrorException {
        byte[] sealed = store.detail(r.id()).orElseThrow(() -> StanzaErrorException.itemNotFound("no correction"));
        try {
            return CorrectionElement.fromJson(ctx.crypto().decrypt(r.username(), sealed));
        } catch (Crypto.KeyDestroyedException e) {
            throw StanzaErrorException.itemNotFound("the account was cancelled");
        }
    }

    private boolean respond(RightsStore.Request r, String staff, String outcome, String reason) {
        if (!store.respond(r.id(), ctx.clock().instant(), outcome, reason)) {
            return false;
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("request", r.id());
        details.put("outcome", outcome);
        if (reason != null) {
            details.put("reason", reason);
        }
        ctx.audit().append(AuditLog.admin(staff), "rights." + r.kind() + ".responded", r.username(), details);
        return true;
    }

    /** Writes the corrected values: the profile, and the registered birthday (the age gate) if there is one. */
    private void apply(String username, CorrectionElement correction) throws StanzaErrorException {
        Map<String, String> profile = new LinkedHashMap<>(correction.fields());
        String birthday = profile.remove("birthday");
        if (birthday != null) {
            boolean registered = ctx.find(BirthdayCorrections.class)
                    .map(b -> b.correctBirthday(username, LocalDate.parse(birthday))).orElse(false);
            // The profile's birthday is the user's to show or not: corrected where set, set where nothing else holds one.
            if (!registered || profiles().fields(username).containsKey("birthday")) {
                profile.put("birthday", birthday);
            }
        }
        if (!profile.isEmpty()) {
            profiles().change(username, profile);
        }
    }

    private boolean crossesAgeLine(String username, String birthday) {
        if (birthday == null) {
            return false;
        }
        LocalDate today = LocalDate.now(ctx.clock().withZone(ZONE));
        return registeredAgeGroup(username).map(g -> g != AgeGroup.of(LocalDate.parse(birthday), today)).orElse(false);
    }

    private Optional<AgeGroup> registeredAgeGroup(String username) {
        LocalDate today = LocalDate.now(ctx.clock().withZone(ZONE));
        return ctx.find(Registrations.class).flatMap(r -> r.birthday(username)).map(b -> AgeGroup.of(b, today));
    }

    private Profiles profiles() throws StanzaErrorException {
        return ctx.find(Profiles.class).orElseThrow(() -> new StanzaErrorException(
                PacketError.Condition.feature_not_implemented, "profiles are not enabled on this server"));
    }
}
