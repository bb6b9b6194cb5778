package im.tongyou.server.feature.vcard;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.server.feature.vcard.ProfileElement.Visibility;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.IQ;
import org.xmpp.packet.PacketError;

/**
 * The Tongyou profile ({@code xeps/tongyou-profile.md}): nickname, gender, birthday and region,
 * and who may see them. Nickname, birthday and region live in the vCard (NICKNAME, BDAY,
 * ADR/REGION), so stock clients see them there; gender and visibility live beside it.
 */
final class ProfileIqHandler implements Profiles {

    static final Set<String> GENDERS = Set.of("female", "male", "other");
    static final int MAX_TEXT = 64;
    static final LocalDate EARLIEST_BIRTHDAY = LocalDate.of(1900, 1, 1);

    private final VCardStore store;
    private final ProfileAccess access;
    private final Clock clock;

    ProfileIqHandler(VCardStore store, ProfileAccess access, Clock clock) {
        this.store = store;
        this.access = access;
        this.clock = clock;
    }

    /** The owner's own profile: every field set, the birthday and the visibility included. */
    IQ getOwn(IQ request) {
        VCardStore.Entry entry = store.get(request.getFrom().getNode());
        Element vcard = entry.vcard() == null ? VCardElement.empty() : entry.vcard();
        String birthday = VCardElement.field(vcard, "BDAY");
        ProfileElement profile = new ProfileElement(VCardElement.field(vcard, "NICKNAME"), entry.gender(),
                birthday != null && isDate(birthday) ? birthday : null, VCardElement.region(vcard),
                entry.visibility().xml());
        return reply(request, profile);
    }

    /** Another user's profile, for those allowed to see it: never the birthday nor the visibility. */
    IQ getOther(IQ request) throws StanzaErrorException {
        String owner = request.getTo().getNode();
        VCardStore.Entry entry = store.get(owner);
        ProfileAccess.View view = access.of(owner, request.getFrom(), entry.visibility());
        if (view == ProfileAccess.View.OWNER) {
            return getOwn(request);
        }
        Element vcard = entry.vcard() == null ? VCardElement.empty() : entry.vcard();
        ProfileElement profile = new ProfileElement(VCardElement.field(vcard, "NICKNAME"), entry.gender(), null,
                VCardElement.region(vcard), null);
        if (view == ProfileAccess.View.NONE || profile.equals(new ProfileElement(null, null, null, null, null))) {
            throw StanzaErrorException.serviceUnavailable(); // as for a vCard: none, hidden or no such user
        }
        return reply(request, profile);
    }

    /** Changes the fields present in the request; an empty field is cleared. */
    IQ setOwn(IQ request) throws StanzaErrorException {
        change(request.getFrom().getNode(), ProfileElement.from(request.getChildElement()));
        return IQ.createResultIQ(request);
    }

    @Override
    public Map<String, String> fields(String username) {
        VCardStore.Entry entry = store.get(username);
        Element vcard = entry.vcard() == null ? VCardElement.empty() : entry.vcard();
        Map<String, String> fields = new LinkedHashMap<>();
        putIfSet(fields, "nickname", VCardElement.field(vcard, "NICKNAME"));
        putIfSet(fields, "gender", entry.gender());
        String birthday = VCardElement.field(vcard, "BDAY");
        putIfSet(fields, "birthday", birthday != null && isDate(birthday) ? birthday : null);
        putIfSet(fields, "region", VCardElement.region(vcard));
        return fields;
    }

    @Override
    public void check(Map<String, String> fields) throws StanzaErrorException {
        validate(element(fields));
    }

    @Override
    public void change(String username, Map<String, String> fields) throws StanzaErrorException {
        change(username, element(fields));
    }

    private static ProfileElement element(Map<String, String> fields) {
        return new ProfileElement(fields.get("nickname"), fields.get("gender"), fields.get("birthday"),
                fields.get("region"), null);
    }

    private static void putIfSet(Map<String, String> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    /** The profile set of §3.1 and §3.7, for the owner's own request or a correction (Profiles). */
    private void change(String username, ProfileElement change) throws StanzaErrorException {
        Visibility visibility = validate(change);
        boolean touchesVCard = change.nickname() != null || change.birthday() != null || change.region() != null;
        store.update(username, entry -> {
            if (entry.vcard() == null && !touchesVCard) {
                return new VCardStore.Entry(null, null, visibility == null ? entry.visibility() : visibility,
                        change.gender() == null ? entry.gender() : emptyToNull(change.gender()));
            }
            Element vcard = entry.vcard() == null ? VCardElement.empty() : entry.vcard().createCopy();
            if (change.nickname() != null) {
                VCardElement.setField(vcard, "NICKNAME", emptyToNull(change.nickname()));
            }
            if (change.birthday() != null) {
                VCardElement.setField(vcard, "BDAY", emptyToNull(change.birthday()));
            }
            if (change.region() != null) {
                VCardElement.setRegion(vcard, emptyToNull(change.region()));
            }
            String gender = change.gender() == null ? entry.gender() : emptyToNull(change.gender());
            return new VCardStore.Entry(vcard, entry.photoHash(), visibility == null ? entry.visibility() : visibility,
                    gender);
        });
    }

    /** Only the owner changes a profile. */
    IQ setOther(IQ request) throws StanzaErrorException {
        throw StanzaErrorException.forbidden("a profile can be changed by its owner only");
    }

    private Visibility validate(ProfileElement change) throws StanzaErrorException {
        if (tooLong(change.nickname()) || tooLong(change.region())) {
            throw StanzaErrorException.notAcceptable("nickname and region are limited to " + MAX_TEXT + " characters");
        }
        if (change.gender() != null && !change.gender().isEmpty() && !GENDERS.contains(change.gender())) {
            throw invalid("invalid-gender", "the gender is female, male or other");
        }
        if (change.birthday() != null && !change.birthday().isEmpty()) {
            if (!isDate(change.birthday())) {
                throw invalid("invalid-birthday", "the birthday is a date YYYY-MM-DD");
            }
            LocalDate date = LocalDate.parse(change.birthday());
            if (date.isBefore(EARLIEST_BIRTHDAY) || date.isAfter(LocalDate.now(clock.withZone(ZoneOffset.ofHours(14))))) {
                throw invalid("invalid-birthday", "the birthday is not a plausible date");
            }
        }
        if (change.visibility() == null) {
            return null;
        }
        Visibility visibility = Visibility.of(change.visibility());
        if (visibility == null) {
            throw invalid("invalid-visibility", "the visibility is contacts or everyone");
        }
        return visibility;
    }

    private static StanzaErrorException invalid(String condition, String text) {
        return new StanzaErrorException(PacketError.Condition.bad_request, null, text,
                DocumentHelper.createElement(QName.get(condition, ProfileElement.NS)));
    }

    static boolean isDate(String s) {
        if (!s.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return false;
        }
        try {
            LocalDate.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean tooLong(String s) {
        return s != null && s.codePointCount(0, s.length()) > MAX_TEXT;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static IQ reply(IQ request, ProfileElement profile) {
        IQ reply = IQ.createResultIQ(request);
        reply.setChildElement(profile.toElement());
        return reply;
    }
}
