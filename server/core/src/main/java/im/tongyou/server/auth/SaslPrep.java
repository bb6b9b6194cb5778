package im.tongyou.server.auth;

import java.text.Normalizer;
import java.util.Arrays;

/**
 * The SASLprep profile of stringprep, which prepares user names and passwords before they are
 * compared or hashed (<a href="https://www.rfc-editor.org/rfc/rfc4013#section-2">RFC 4013 §2</a>).
 *
 * <p>libidn 1.15 offers nameprep, nodeprep and resourceprep but no SASLprep, and its tables are
 * package-private, so the profile is written out here. COMPAT: RFC 3454 pins Unicode 3.2; we take
 * NFKC from {@link Normalizer}, the bidirectional categories (tables D.1 and D.2) from
 * {@link Character#getDirectionality(int)} and "unassigned" (table A.1) from
 * {@link Character#getType(int)}, all at the JDK's Unicode version. For every character that
 * Unicode 3.2 assigned the results agree (Unicode's normalization stability policy); characters
 * assigned later are accepted in stored strings where a Unicode 3.2 implementation would refuse
 * them.
 */
public final class SaslPrep {

    private SaslPrep() {
    }

    /**
     * Prepares a query string: unassigned code points are allowed (RFC 3454 §7). Use it for what a
     * client sends during authentication.
     *
     * @throws IllegalArgumentException if the string holds a prohibited character or fails the
     *                                  bidirectional rules; the message never quotes the input
     */
    public static String prepareQuery(String input) {
        return prepare(input, true);
    }

    /**
     * Prepares a stored string: unassigned code points are refused (RFC 3454 §7). Use it when a
     * user name or password is set.
     *
     * @throws IllegalArgumentException as {@link #prepareQuery(String)}, and for unassigned code points
     */
    public static String prepareStored(String input) {
        return prepare(input, false);
    }

    /**
     * Prepares a password held in a {@code char[]} as a query string. Printable ASCII, which SASLprep
     * leaves as it is, never passes through a {@link String}; other input does, because
     * {@link Normalizer} only returns strings, and that copy cannot be wiped. The caller owns (and
     * should wipe) both the argument and the result.
     */
    public static char[] prepareQuery(char[] password) {
        if (isPrintableAscii(password)) {
            return password.clone();
        }
        StringBuilder copy = new StringBuilder(password.length).append(password);
        try {
            return prepare(copy, true).toCharArray();
        } finally {
            wipe(copy);
        }
    }

    private static String prepare(CharSequence input, boolean allowUnassigned) {
        if (isPrintableAscii(input)) {
            return input.toString();
        }
        // §2.1 Mapping: "non-ASCII space characters [StringPrep, C.1.2] that can be mapped to SPACE
        // (U+0020)" and "the 'commonly mapped to nothing' characters [StringPrep, B.1]". U+200B is in
        // both tables; like libidn we apply the space mapping first, in the order RFC 4013 lists them.
        StringBuilder mapped = new StringBuilder(input.length());
        for (int i = 0; i < input.length(); ) {
            int cp = Character.codePointAt(input, i);
            i += Character.charCount(cp);
            if (isNonAsciiSpace(cp)) {
                mapped.append(' ');
            } else if (!isMappedToNothing(cp)) {
                mapped.appendCodePoint(cp);
            }
        }
        // §2.2 Normalization: "Unicode normalization form KC".
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        wipe(mapped);
        boolean hasRandAl = false;
        boolean hasL = false;
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            i += Character.charCount(cp);
            // §2.3 Prohibited Output.
            if (isProhibited(cp)) {
                throw new IllegalArgumentException("contains a character that SASLprep prohibits (RFC 4013 §2.3)");
            }
            // §2.5 Unassigned Code Points, only for stored strings.
            if (!allowUnassigned && Character.getType(cp) == Character.UNASSIGNED) {
                throw new IllegalArgumentException("contains an unassigned code point (RFC 4013 §2.5)");
            }
            hasRandAl |= isRandAl(cp);
            hasL |= Character.getDirectionality(cp) == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
        }
        // §2.4 Bidirectional Characters, RFC 3454 §6: "If a string contains any RandALCat character,
        // the string MUST NOT contain any LCat character" and "a RandALCat character MUST be the
        // first character of the string, and a RandALCat character MUST be the last character".
        if (hasRandAl && (hasL
                || !isRandAl(normalized.codePointAt(0))
                || !isRandAl(normalized.codePointBefore(normalized.length())))) {
            throw new IllegalArgumentException("fails the bidirectional rules of RFC 3454 §6");
        }
        return normalized;
    }

    private static boolean isRandAl(int cp) {
        byte direction = Character.getDirectionality(cp);
        return direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                || direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    /** RFC 3454 table C.1.2. */
    private static boolean isNonAsciiSpace(int cp) {
        return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B)
                || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** RFC 3454 table B.1. */
    private static boolean isMappedToNothing(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
                || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F)
                || cp == 0xFEFF;
    }

    /** RFC 4013 §2.3: RFC 3454 tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8 and C.9. */
    private static boolean isProhibited(int cp) {
        return isNonAsciiSpace(cp)
                // C.2.1 ASCII control characters
                || cp <= 0x001F || cp == 0x007F
                // C.2.2 non-ASCII control characters
                || (cp >= 0x0080 && cp <= 0x009F) || cp == 0x06DD || cp == 0x070F || cp == 0x180E
                || cp == 0x200C || cp == 0x200D || cp == 0x2028 || cp == 0x2029
                || (cp >= 0x2060 && cp <= 0x2063) || cp == 0xFEFF || (cp >= 0x1D173 && cp <= 0x1D17A)
                // C.3 private use
                || (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD)
                || (cp >= 0x100000 && cp <= 0x10FFFD)
                // C.4 non-character code points: U+FDD0..U+FDEF and the last two of every plane
                || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE
                // C.5 surrogate code points (a lone surrogate in a Java string)
                || (cp >= 0xD800 && cp <= 0xDFFF)
                // C.6 inappropriate for plain text (C.2.2's U+FFF9..U+FFFC included)
                || (cp >= 0xFFF9 && cp <= 0xFFFD)
                // C.7 inappropriate for canonical representation
                || (cp >= 0x2FF0 && cp <= 0x2FFB)
                // C.8 change display properties or deprecated (C.2.2's U+206A..U+206F included)
                || cp == 0x0340 || cp == 0x0341 || cp == 0x200E || cp == 0x200F
                || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x206A && cp <= 0x206F)
                // C.9 tagging characters
                || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);
    }

    private static boolean isPrintableAscii(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPrintableAscii(char[] s) {
        for (char c : s) {
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static void wipe(StringBuilder sb) {
        for (int i = 0; i < sb.length(); i++) {
            sb.setCharAt(i, '\0');
        }
        sb.setLength(0);
    }

    /** Overwrites a password buffer. */
    static void wipe(char[] chars) {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }
}
