package im.tongyou.consent;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.privacy.ConsentGate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * The consent acts and records of {@code xeps/tongyou-consent.md} §3.3 to §3.6 as records, each read
 * from and written to its element: grant, withdraw, refuse, accept, the ledger record a client sees,
 * and the history query and answer.
 */
final class ConsentElement {

    static final String NS = ConsentGate.NAMESPACE;
    private static final Pattern TOKEN = Pattern.compile("[\\p{Alnum}._+-]{1,64}");
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}");

    private ConsentElement() {
    }

    /**
     * What the client says about itself with each act (R-CON-2: channel, app version, locale).
     *
     * @param channel    {@code android}, {@code ios}, {@code web}, {@code desktop}, {@code cs-phone},
     *                   {@code cs-online} or {@code other}; absent means other
     * @param appVersion the app's version, or {@code null}
     * @param locale     a BCP 47 language tag, or {@code null}
     */
    record Client(String channel, String appVersion, String locale) {

        static Client from(Element e) throws StanzaErrorException {
            Client c = new Client(e.attributeValue("channel"), e.attributeValue("app-version"), e.attributeValue("locale"));
            try {
                LedgerEntry.Channel.fromXml(c.channel);
            } catch (IllegalArgumentException ex) {
                throw StanzaErrorException.badRequest("unknown channel '" + c.channel + "'");
            }
            if (c.appVersion != null && !TOKEN.matcher(c.appVersion).matches()) {
                throw StanzaErrorException.badRequest("app-version must be 1 to 64 letters, digits or ._+-");
            }
            if (c.locale != null && !LOCALE.matcher(c.locale).matches()) {
                throw StanzaErrorException.badRequest("locale must be a language tag such as zh-CN");
            }
            return c;
        }

        LedgerEntry.Channel ledgerChannel() {
            return LedgerEntry.Channel.fromXml(channel);
        }

        void write(Element e) {
            attr(e, "channel", channel);
            attr(e, "app-version", appVersion);
            attr(e, "locale", locale);
        }
    }

    /**
     * A grant of one purpose (§3.4): one purpose per act, never bundled (R-CON-5).
     *
     * @param purpose       the purpose id
     * @param type          {@code separate} or {@code general}
     * @param policyVersion the privacy policy version the user read
     * @param noticeHash    the SHA-256 of the notice the user was shown
     * @param guardianCode  for a child under 14, the code the guardian received; else {@code null}
     */
    record Grant(String purpose, String type, String policyVersion, String noticeHash, String guardianCode,
                 Client client) {

        static Grant from(Element e) throws StanzaErrorException {
            return new Grant(required(e, "purpose"), required(e, "type"), required(e, "policy-version"),
                    required(e, "notice-hash"), e.attributeValue("guardian-code"), Client.from(e));
        }

        Element toElement() {
            Element e = element("grant");
            e.addAttribute("purpose", purpose).addAttribute("type", type).addAttribute("policy-version", policyVersion)
                    .addAttribute("notice-hash", noticeHash);
            attr(e, "guardian-code", guardianCode);
            client.write(e);
            return e;
        }
    }

    /**
     * A withdrawal (§3.5) or a refusal (§3.6) of one purpose.
     *
     * @param refusal whether it is {@code <refuse/>}
     */
    record Withdrawal(boolean refusal, String purpose, Client client) {

        static Withdrawal from(Element e) throws StanzaErrorException {
            return new Withdrawal("refuse".equals(e.getName()), required(e, "purpose"), Client.from(e));
        }

        Element toElement() {
            Element e = element(refusal ? "refuse" : "withdraw").addAttribute("purpose", purpose);
            client.write(e);
            return e;
        }
    }

    /** Acceptance of a privacy policy version (§3.2). */
    record Accept(String document, String version, String sha256, Client client) {

        static Accept from(Element e) throws StanzaErrorException {
            return new Accept(required(e, "document"), required(e, "version"), required(e, "sha256"), Client.from(e));
        }

        Element toElement() {
            Element e = element("accept").addAttribute("document", document).addAttribute("version", version)
                    .addAttribute("sha256", sha256);
            client.write(e);
            return e;
        }
    }

    /** A ledger row as its user sees it (§3.7): without the chain's hashes and the actor's id. */
    record Record(long seq, String purpose, String action, String type, String actor, String document,
                  String version, String sha256, String noticeHash, Instant at, Client client, Long withdraws) {

        static Record of(LedgerEntry e) {
            return new Record(e.seq(), e.topic(), lower(e.action()), lower(e.type()), lower(e.actor()), e.policyDoc(),
                    e.policyVersion(), e.policySha256(), e.noticeHash(), e.recordedAt(),
                    new Client(e.channel().xml(), e.appVersion(), e.locale()), e.withdraws());
        }

        static Record from(Element e) {
            String w = e.attributeValue("withdraws");
            return new Record(Long.parseLong(e.attributeValue("seq")), e.attributeValue("purpose"),
                    e.attributeValue("action"), e.attributeValue("type"), e.attributeValue("actor"),
                    e.attributeValue("document"), e.attributeValue("version"), e.attributeValue("sha256"),
                    e.attributeValue("notice-hash"), Instant.parse(e.attributeValue("at")),
                    new Client(e.attributeValue("channel"), e.attributeValue("app-version"), e.attributeValue("locale")),
                    w == null ? null : Long.parseLong(w));
        }

        Element toElement() {
            Element e = element("record");
            e.addAttribute("seq", Long.toString(seq)).addAttribute("purpose", purpose).addAttribute("action", action)
                    .addAttribute("type", type).addAttribute("actor", actor).addAttribute("document", document)
                    .addAttribute("version", version);
            attr(e, "sha256", sha256);
            attr(e, "notice-hash", noticeHash);
            e.addAttribute("at", at.toString());
            client.write(e);
            attr(e, "withdraws", withdraws == null ? null : withdraws.toString());
            return e;
        }
    }

    /** The history query (§3.7): rows after a seq, at most max. */
    record HistoryQuery(long after, int max) {
        static final int LIMIT = 500;

        static HistoryQuery from(Element e) throws StanzaErrorException {
            try {
                long after = e.attributeValue("after") == null ? 0 : Long.parseLong(e.attributeValue("after"));
                int max = e.attributeValue("max") == null ? LIMIT : Integer.parseInt(e.attributeValue("max"));
                if (after < 0 || max < 1) {
                    throw StanzaErrorException.badRequest("after must not be negative and max must be positive");
                }
                return new HistoryQuery(after, Math.min(max, LIMIT));
            } catch (NumberFormatException ex) {
                throw StanzaErrorException.badRequest("after and max are numbers");
            }
        }

        Element toElement() {
            Element e = element("history");
            if (after > 0) {
                e.addAttribute("after", Long.toString(after));
            }
            e.addAttribute("max", Integer.toString(max));
            return e;
        }
    }

    /** The history answer: the rows, and whether they are the last ones. */
    record History(List<Record> records, boolean complete) {

        static History from(Element e) {
            List<Record> records = new ArrayList<>();
            e.elements("record").forEach(r -> records.add(Record.from(r)));
            return new History(records, Boolean.parseBoolean(e.attributeValue("complete")));
        }

        Element toElement() {
            Element e = element("history").addAttribute("complete", Boolean.toString(complete));
            records.forEach(r -> e.add(r.toElement()));
            return e;
        }
    }

    static Element element(String name) {
        return DocumentHelper.createElement(QName.get(name, NS));
    }

    static void attr(Element e, String name, String value) {
        if (value != null) {
            e.addAttribute(name, value);
        }
    }

    static String required(Element e, String attribute) throws StanzaErrorException {
        String value = e.attributeValue(attribute);
        if (value == null || value.isBlank()) {
            throw StanzaErrorException.badRequest("the attribute '" + attribute + "' is required");
        }
        return value;
    }

    static Instant instant(String value) throws StanzaErrorException {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw StanzaErrorException.badRequest("'" + value + "' is not a UTC time like 2026-11-29T08:00:00Z");
        }
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
