package im.tongyou.server.feature.muc;

import java.time.Instant;

/**
 * One entry of a room's affiliation lists (XEP-0045 §5.2): a bare JID (or a whole domain, §9.2)
 * with its affiliation, reserved nickname and the reason given.
 *
 * @param jid         the bare JID or domain, as a string
 * @param affiliation owner, admin, member or outcast (never none: none is the absence of an entry)
 * @param nick        the reserved room nickname, or {@code null}
 * @param reason      the reason given when it was granted (kept for the ban list), or {@code null}
 * @param grantedAt   when it was granted
 */
record AffiliationEntry(String jid, Affiliation affiliation, String nick, String reason, Instant grantedAt) {
}
