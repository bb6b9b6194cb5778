package im.tongyou.server.feature.register;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Optional;

/**
 * Phone numbers with Google's libphonenumber: normalised to E.164 ({@code +8613800138000}) so that
 * one number has one form for its keyed hash, and the check that keeps numbers out of usernames
 * (privacy requirement R-MIN-2: "The phone number never appears in a JID").
 */
public final class PhoneNumbers {

    /** The longest input considered; longer text is no phone number. */
    private static final int MAX_INPUT = 64;

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /** Whether libphonenumber knows the region code, for example {@code CN}. */
    public static boolean isKnownRegion(String region) {
        return region != null && UTIL.getSupportedRegions().contains(region);
    }

    /**
     * The E.164 form of a valid number written nationally for the default region or internationally
     * with {@code +}; empty when the text is not a valid (assigned-range) phone number.
     */
    public static Optional<String> toE164(String text, String defaultRegion) {
        return parseValid(text, defaultRegion).map(n -> UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
    }

    /**
     * Whether a username is, or hides, a phone number: the name itself or the digits in it parse as
     * a valid number of the default region or, with a {@code +} before them, of any country.
     */
    public static boolean looksLikePhoneNumber(String username, String defaultRegion) {
        if (username == null) {
            return false;
        }
        String digits = username.replaceAll("[^0-9]", "");
        if (digits.length() < 5) {
            return false; // no country's valid numbers are this short
        }
        return parseValid(username, defaultRegion).isPresent()
                || parseValid(digits, defaultRegion).isPresent()
                || parseValid("+" + digits, defaultRegion).isPresent();
    }

    private static Optional<PhoneNumber> parseValid(String text, String defaultRegion) {
        if (text == null || text.isBlank() || text.length() > MAX_INPUT) {
            return Optional.empty();
        }
        try {
            PhoneNumber number = UTIL.parse(text.strip(), defaultRegion);
            return UTIL.isValidNumber(number) ? Optional.of(number) : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }
}
