package im.tongyou.server.feature.register;

/**
 * Options of in-band registration ({@code plugins.register.*}), with their defaults.
 *
 * @param mode                      {@code closed}, {@code open} or {@code phone} (the Tongyou app's flow)
 * @param policyVersion             the privacy policy version a registrant accepts (phone mode)
 * @param defaultRegion             the region for numbers written without {@code +} (ISO 3166 code)
 * @param codeValiditySeconds       how long an SMS code is valid, 60 to 300 (R-SEC-3: at most 5 minutes)
 * @param maxCodeAttempts           wrong entries a code survives before it is burnt, 1 to 5 (R-SEC-3)
 * @param codeIntervalSeconds       the least time between two codes to one number
 * @param codesPerNumber            codes one number may receive per window
 * @param codesPerAddress           codes one client address may request per window
 * @param codeWindowSeconds         the window of the two limits above
 * @param registrationsPerAddress   accounts one client address may register per window (open and phone)
 * @param registrationWindowSeconds the window of that limit
 * @param smsText                   the SMS text; {@code {code}} and {@code {minutes}} are replaced
 */
public record RegisterOptions(Mode mode, String policyVersion, String defaultRegion, Integer codeValiditySeconds,
                              Integer maxCodeAttempts, Integer codeIntervalSeconds, Integer codesPerNumber,
                              Integer codesPerAddress, Integer codeWindowSeconds, Integer registrationsPerAddress,
                              Integer registrationWindowSeconds, String smsText) {

    /** How accounts are registered in-band. */
    public enum Mode {
        /** No in-band registration (XEP-0077 §3.1: service-unavailable); password change and removal stay. */
        closed,
        /** Username and password, legacy fields or data form: generic deployments and the interop suite. */
        open,
        /** The Tongyou app's flow: phone number verified by SMS, policy acceptance, birthday. */
        phone
    }

    public RegisterOptions {
        mode = mode == null ? Mode.phone : mode;
        policyVersion = policyVersion == null || policyVersion.isBlank() ? "V4.2.7" : policyVersion.strip();
        defaultRegion = defaultRegion == null || defaultRegion.isBlank() ? "CN" : defaultRegion.strip();
        codeValiditySeconds = orDefault(codeValiditySeconds, 300);
        maxCodeAttempts = orDefault(maxCodeAttempts, 5);
        codeIntervalSeconds = orDefault(codeIntervalSeconds, 60);
        codesPerNumber = orDefault(codesPerNumber, 5);
        codesPerAddress = orDefault(codesPerAddress, 20);
        codeWindowSeconds = orDefault(codeWindowSeconds, 3600);
        registrationsPerAddress = orDefault(registrationsPerAddress, 5);
        registrationWindowSeconds = orDefault(registrationWindowSeconds, 3600);
        smsText = smsText == null || smsText.isBlank()
                ? "【通友】您的注册验证码是{code}，{minutes}分钟内有效。请勿告诉他人。" : smsText;
        check(codeValiditySeconds >= 60 && codeValiditySeconds <= 300, "code-validity-seconds must be 60 to 300");
        check(maxCodeAttempts >= 1 && maxCodeAttempts <= 5, "max-code-attempts must be 1 to 5");
        check(codeIntervalSeconds >= 0, "code-interval-seconds must not be negative");
        check(codesPerNumber >= 1 && codesPerAddress >= 1, "codes-per-number and codes-per-address must be at least 1");
        check(codeWindowSeconds >= 1 && registrationWindowSeconds >= 1, "the windows must be at least 1 second");
        check(registrationsPerAddress >= 1, "registrations-per-address must be at least 1");
        check(smsText.contains("{code}"), "sms-text must contain {code}");
        check(PhoneNumbers.isKnownRegion(defaultRegion), "default-region '" + defaultRegion + "' is not a known region code");
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
