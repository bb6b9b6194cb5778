package im.tongyou.consent;

import java.util.List;

/**
 * Options of the consent plugin ({@code plugins.consent.*}), with their defaults
 * ({@code xeps/tongyou-consent.md} §6).
 *
 * @param pendingGuardianDays           days a child's account may wait for a guardian's consent before it is
 *                                      deleted (R-CHD-2 proposes 7), 1 to 30
 * @param guardianCodeValiditySeconds   how long a guardian's SMS code is valid, 60 to 300 (R-SEC-3)
 * @param maxGuardianCodeAttempts       wrong entries a code survives, 1 to 5
 * @param guardianCodeIntervalSeconds   the least time between two codes for one child
 * @param guardianCodesPerDay           codes one child may have sent in 24 hours
 * @param maxChildrenPerGuardian        children one guardian number may consent for
 * @param guardianSmsText               the SMS to the guardian; {@code {code}}, {@code {minutes}}, {@code {child}},
 *                                      {@code {what}} and {@code {url}} are replaced
 * @param ticketApprovers               bare JIDs who may approve staff access to minors' data (the children's
 *                                      PI officer and delegates, R-CHD-7); empty: any administrator, never
 *                                      for their own access
 * @param maxTicketHours                the longest an approval ticket may run
 * @param ledgerRetentionYears          years a cancelled user's pseudonymised ledger rows are kept (decision 8)
 */
public record ConsentOptions(Integer pendingGuardianDays, Integer guardianCodeValiditySeconds,
                             Integer maxGuardianCodeAttempts, Integer guardianCodeIntervalSeconds,
                             Integer guardianCodesPerDay, Integer maxChildrenPerGuardian, String guardianSmsText,
                             List<String> ticketApprovers, Integer maxTicketHours, Integer ledgerRetentionYears) {

    /** The default SMS to a guardian. */
    public static final String DEFAULT_SMS = "【通友】用户{child}请求您作为监护人同意{what}。验证码{code}，{minutes}分钟内有效。"
            + "同意前请阅读《儿童个人信息保护规则及监护人须知》：{url}。如非本人监护的儿童，请忽略。";

    public ConsentOptions {
        pendingGuardianDays = orDefault(pendingGuardianDays, 7);
        guardianCodeValiditySeconds = orDefault(guardianCodeValiditySeconds, 300);
        maxGuardianCodeAttempts = orDefault(maxGuardianCodeAttempts, 5);
        guardianCodeIntervalSeconds = orDefault(guardianCodeIntervalSeconds, 60);
        guardianCodesPerDay = orDefault(guardianCodesPerDay, 5);
        maxChildrenPerGuardian = orDefault(maxChildrenPerGuardian, 5);
        guardianSmsText = guardianSmsText == null || guardianSmsText.isBlank() ? DEFAULT_SMS : guardianSmsText;
        ticketApprovers = ticketApprovers == null ? List.of() : List.copyOf(ticketApprovers);
        maxTicketHours = orDefault(maxTicketHours, 72);
        ledgerRetentionYears = orDefault(ledgerRetentionYears, 3);
        check(pendingGuardianDays >= 1 && pendingGuardianDays <= 30, "pending-guardian-days must be 1 to 30");
        check(guardianCodeValiditySeconds >= 60 && guardianCodeValiditySeconds <= 300,
                "guardian-code-validity-seconds must be 60 to 300");
        check(maxGuardianCodeAttempts >= 1 && maxGuardianCodeAttempts <= 5, "max-guardian-code-attempts must be 1 to 5");
        check(guardianCodeIntervalSeconds >= 0, "guardian-code-interval-seconds must not be negative");
        check(guardianCodesPerDay >= 1 && maxChildrenPerGuardian >= 1,
                "guardian-codes-per-day and max-children-per-guardian must be at least 1");
        check(guardianSmsText.contains("{code}"), "guardian-sms-text must contain {code}");
        check(maxTicketHours >= 1 && maxTicketHours <= 24 * 30, "max-ticket-hours must be 1 to 720");
        check(ledgerRetentionYears >= 3, "ledger-retention-years must be at least 3");
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
