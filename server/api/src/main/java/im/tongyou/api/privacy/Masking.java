package im.tongyou.api.privacy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masking (脱敏) of personal data for administrators' answers and log lines (privacy requirements
 * R-SEC-5, AC-10): phone numbers as {@code 138****1234}, ID numbers with only the first and last
 * character, e-mail addresses with the first character of the local part, names with the first
 * character. Pure functions; {@code null} stays {@code null}.
 */
public final class Masking {

    /** Runs of 7 to 15 digits, optionally after a '+': phone-like (dates and times have separators). */
    private static final Pattern PHONE_LIKE = Pattern.compile("(?<![\\d*])\\+?\\d{7,15}(?![\\d*])");
    private static final Pattern EMAIL_LIKE = Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+");
    private static final Pattern CN_ID = Pattern.compile("(?<![\\dA-Za-z])\\d{17}[\\dXx](?![\\dA-Za-z])");

    private Masking() {
    }

    /**
     * A phone number as three digits, four stars and the last four digits ({@code 138****1234}):
     * the national number for a Chinese {@code +86} number, else all digits after the country code
     * are treated alike. Numbers with fewer than 8 digits keep only their last two.
     */
    public static String phone(String number) {
        if (number == null) {
            return null;
        }
        String digits = number.replaceAll("\\D", "");
        if (number.startsWith("+86") && digits.length() == 13) {
            digits = digits.substring(2);
        } else if (number.startsWith("+") && digits.length() > 11) {
            digits = digits.substring(digits.length() - 11);
        }
        if (digits.length() < 8) {
            return "*".repeat(Math.max(0, digits.length() - 2)) + digits.substring(Math.max(0, digits.length() - 2));
        }
        return digits.substring(0, 3) + "****" + digits.substring(digits.length() - 4);
    }

    /** An ID number with only the first and last character shown ({@code 1****************X}). */
    public static String idNumber(String id) {
        if (id == null) {
            return null;
        }
        if (id.length() <= 2) {
            return "*".repeat(id.length());
        }
        return id.charAt(0) + "*".repeat(id.length() - 2) + id.charAt(id.length() - 1);
    }

    /** An e-mail address with the first character of the local part and the domain ({@code r***@example.cn}). */
    public static String email(String address) {
        if (address == null) {
            return null;
        }
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return "***";
        }
        return address.charAt(0) + "***" + address.substring(at);
    }

    /** A personal name with its first character only ({@code 张**}). */
    public static String name(String name) {
        if (name == null || name.isEmpty()) {
            return name;
        }
        int first = name.offsetByCodePoints(0, 1);
        return name.substring(0, first) + "*".repeat(Math.max(1, name.codePointCount(first, name.length())));
    }

    /**
     * Free text (a log line, an error message) with every phone-like digit run, Chinese ID number
     * and e-mail address masked. A safety net: code should mask the values it knows are personal.
     */
    public static String text(String text) {
        if (text == null) {
            return null;
        }
        String out = replace(CN_ID.matcher(text), Masking::idNumber);
        out = replace(PHONE_LIKE.matcher(out), Masking::phone);
        return replace(EMAIL_LIKE.matcher(out), Masking::email);
    }

    /**
     * Free text with every phone-like digit run and Chinese ID number masked, but addresses kept:
     * the safety net of log lines, where JIDs (opaque, never phone numbers) must stay readable.
     */
    public static String numbers(String text) {
        if (text == null) {
            return null;
        }
        return replace(PHONE_LIKE.matcher(replace(CN_ID.matcher(text), Masking::idNumber)), Masking::phone);
    }

    private static String replace(Matcher m, java.util.function.UnaryOperator<String> mask) {
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(mask.apply(m.group())));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
