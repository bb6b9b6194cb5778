package im.tongyou.consent;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Guardians' phone numbers, normalised to E.164 (mainland China numbers may be written without
 * {@code +86}); staff views mask them with {@link im.tongyou.api.privacy.Masking#phone} (R-SEC-5).
 */
final class Phones {

    private static final Pattern CN_MOBILE = Pattern.compile("1[3-9]\\d{9}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{7,14}");

    private Phones() {
    }

    /** The number in E.164, or empty when it is not a plausible mobile number. */
    static Optional<String> toE164(String typed) {
        if (typed == null) {
            return Optional.empty();
        }
        String s = typed.replaceAll("[\\s()-]", "");
        if (s.startsWith("0086")) {
            s = "+86" + s.substring(4);
        }
        if (CN_MOBILE.matcher(s).matches()) {
            return Optional.of("+86" + s);
        }
        if (s.startsWith("+86")) {
            return CN_MOBILE.matcher(s.substring(3)).matches() ? Optional.of(s) : Optional.empty();
        }
        return E164.matcher(s).matches() ? Optional.of(s) : Optional.empty();
    }
}
