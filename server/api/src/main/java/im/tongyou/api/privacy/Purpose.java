package im.tongyou.api.privacy;

import java.util.Optional;

/**
 * The optional purposes of processing of the Tongyou privacy policy (privacy requirements R-CON-1,
 * decision 1): everything beyond core IM (account, sessions, roster, one-to-one and group messages
 * with media, offline delivery, archive and multi-device sync) is one of these, off until the user
 * grants it, and asked of the {@link ConsentGate} on the server every time. The set is closed: a new
 * purpose needs a new policy version that describes it ({@code xeps/tongyou-consent.md}).
 *
 * <p>{@link #separate()} purposes need separate consent (单独同意, PIPL arts. 23, 25, 29; R-CON-5): an
 * explicit act for that purpose alone, recorded as such. Purposes with {@link #minorsAllowed()} false
 * are never granted to a minor, whatever the guardian says (R-CHD-5, R-ADS-1).
 */
public enum Purpose {
    /** Matching the phone's address book against registered users (policy 1.2, 一(三)(1); F12). */
    CONTACTS_MATCH("contacts_match", true, true),
    /** Being found by others through one's phone number (一(三)(1); R-MIN-3). */
    PHONE_DISCOVERY("phone_discovery", false, false),
    /** Sending one's location in a chat (一(三)(2), 发送位置; F13): precise location. */
    LOCATION_CHAT("location_chat", true, true),
    /** A location on 时光 posts (1.3, 一(三)(2); F23): precise location. */
    LOCATION_TIMELINE("location_timeline", true, true),
    /** Shake (摇一摇) matching with coarse location (2.9; decision 5; F18). */
    SHAKE("shake", true, false),
    /** Push notifications of offline messages through JPush or a phone maker (2.2; F15). */
    PUSH("push", false, true),
    /** Push notifications that show the sender and a preview of the text (provision of content, PIPL art. 23). */
    PUSH_PREVIEW("push_preview", true, false),
    /** Voice and video calls through NetEase Yunxin (一(三)(4)(6); F14). */
    CALLS("calls", true, true),
    /** The 通友商城 mall: orders, addresses, delivery (1.4, 一(三)(3); F26-F28). */
    MALL("mall", false, true),
    /** Mall recommendations from browsing and purchases (1.4; F25; R-ADS-1). */
    MALL_PERSONALISATION("mall_personalisation", false, false),
    /** Real-name verification for products that legally need it (2.1; decision 7; F29): ID number. */
    REALNAME("realname", true, true),
    /** Advertising chosen from the user's interests (一(七)7, 三; F30; PIPL art. 24). */
    ADS_PERSONALISED("ads_personalised", false, false),
    /** Activity and marketing messages (活动推送, 一(七)7; F31; Advertising Law art. 43). */
    MARKETING_PUSH("marketing_push", false, false),
    /** Usage analytics on pseudonymised events (一(六), 一(七)2/4; F32; R-DEID-1). */
    ANALYTICS("analytics", false, false),
    /** Crash reports with identifiers stripped (2.4; F34). */
    CRASH_REPORTS("crash_reports", false, true),
    /** Invite attribution through Xinstall (2.8; F07): provision to a third party. */
    INVITE_ATTRIBUTION("invite_attribution", true, false),
    /** Logging in with WeChat (七; F04). */
    LOGIN_WECHAT("login_wechat", false, true),
    /** Logging in with Weibo (七; F05). */
    LOGIN_WEIBO("login_weibo", false, true),
    /** One-tap login with the carrier's number authorisation (七; F06). */
    LOGIN_ONETAP("login_onetap", false, true),
    /** Posting to public 时光 and the interactive module (五(四); F24): publication (PIPL art. 25). */
    PUBLIC_POSTING("public_posting", true, false);

    private final String id;
    private final boolean separate;
    private final boolean minorsAllowed;

    Purpose(String id, boolean separate, boolean minorsAllowed) {
        this.id = id;
        this.separate = separate;
        this.minorsAllowed = minorsAllowed;
    }

    /** The purpose's name in the protocol and the ledger, for example {@code location_timeline}. */
    public String id() {
        return id;
    }

    /** Whether a grant must be separate consent (单独同意): sensitive data, provision, publication. */
    public boolean separate() {
        return separate;
    }

    /** Whether a minor may ever have it (with a guardian's consent); false: forced off for minors. */
    public boolean minorsAllowed() {
        return minorsAllowed;
    }

    /** The purpose with this {@link #id()}. */
    public static Optional<Purpose> fromId(String id) {
        for (Purpose p : values()) {
            if (p.id.equals(id)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
