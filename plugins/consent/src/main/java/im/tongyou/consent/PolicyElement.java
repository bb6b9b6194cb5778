package im.tongyou.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * The policy documents and the purposes of {@code xeps/tongyou-consent.md} §3.1, §3.3 and §3.9 as
 * records read from and written to their elements.
 */
final class PolicyElement {

    private PolicyElement() {
    }

    /**
     * A version of a policy document as clients see it.
     *
     * @param name      {@code privacy} or {@code children}
     * @param version   its version
     * @param sha256    the SHA-256 of its text (as served over HTTPS)
     * @param effective when it takes effect
     * @param material  whether it is a material change
     * @param url       where it is served without login, or {@code null}
     * @param accepted  the version of this document the user accepted last, or {@code null}
     * @param text      the full text when asked for, or {@code null}
     */
    record Document(String name, String version, String sha256, Instant effective, boolean material, String url,
                    String accepted, String text) {

        static Document from(Element e) {
            String effective = e.attributeValue("effective");
            return new Document(e.attributeValue("name"), e.attributeValue("version"), e.attributeValue("sha256"),
                    effective == null ? null : Instant.parse(effective), Boolean.parseBoolean(e.attributeValue("material")),
                    e.attributeValue("url"), e.attributeValue("accepted"), e.elementText("text"));
        }

        Element toElement() {
            Element e = ConsentElement.element("document").addAttribute("name", name).addAttribute("version", version);
            ConsentElement.attr(e, "sha256", sha256);
            ConsentElement.attr(e, "effective", effective == null ? null : effective.toString());
            if (sha256 != null) {
                e.addAttribute("material", Boolean.toString(material));
            }
            ConsentElement.attr(e, "url", url);
            ConsentElement.attr(e, "accepted", accepted);
            if (text != null) {
                e.addElement(QName.get("text", ConsentElement.NS)).setText(text);
            }
            return e;
        }
    }

    /** The policy query: the current documents, or the named versions with their text. */
    record PolicyQuery(List<Document> wanted) {

        static PolicyQuery from(Element e) {
            List<Document> wanted = new ArrayList<>();
            e.elements("document").forEach(d -> wanted.add(new Document(d.attributeValue("name"),
                    d.attributeValue("version"), null, null, false, null, null, null)));
            return new PolicyQuery(wanted);
        }

        Element toElement() {
            Element e = ConsentElement.element("policy");
            wanted.forEach(d -> e.add(d.toElement()));
            return e;
        }
    }

    /**
     * The policy answer.
     *
     * @param reaccept whether a material version the user has not accepted is in effect
     */
    record Policy(boolean reaccept, List<Document> documents) {

        static Policy from(Element e) {
            List<Document> documents = new ArrayList<>();
            e.elements("document").forEach(d -> documents.add(Document.from(d)));
            return new Policy(Boolean.parseBoolean(e.attributeValue("reaccept")), documents);
        }

        Element toElement() {
            Element e = ConsentElement.element("policy").addAttribute("reaccept", Boolean.toString(reaccept));
            documents.forEach(d -> e.add(d.toElement()));
            return e;
        }
    }

    /**
     * One purpose and the user's state for it (§3.3).
     *
     * @param id         the purpose id
     * @param consent    {@code separate} or {@code general}
     * @param minors     {@code allowed} (with a guardian) or {@code forbidden}
     * @param state      {@code granted}, {@code not-granted}, {@code withdrawn}, {@code refused},
     *                   {@code renew}, {@code not-covered} or {@code forbidden}
     * @param since      when the state's ledger row was written, or {@code null}
     * @param version    the policy version that row cites, or {@code null}
     * @param noticeHash the SHA-256 of the notice in effect, or {@code null} when not covered
     * @param notice     the notice in effect, or {@code null}
     */
    record PurposeState(String id, String consent, String minors, String state, Instant since, String version,
                        String noticeHash, String notice) {

        static PurposeState from(Element e) {
            String since = e.attributeValue("since");
            return new PurposeState(e.attributeValue("id"), e.attributeValue("consent"), e.attributeValue("minors"),
                    e.attributeValue("state"), since == null ? null : Instant.parse(since), e.attributeValue("version"),
                    e.attributeValue("notice-hash"), e.elementText("notice"));
        }

        Element toElement() {
            Element e = ConsentElement.element("purpose").addAttribute("id", id).addAttribute("consent", consent)
                    .addAttribute("minors", minors).addAttribute("state", state);
            ConsentElement.attr(e, "since", since == null ? null : since.toString());
            ConsentElement.attr(e, "version", version);
            ConsentElement.attr(e, "notice-hash", noticeHash);
            if (notice != null) {
                e.addElement(QName.get("notice", ConsentElement.NS)).addAttribute(QName.get("lang",
                        org.dom4j.Namespace.XML_NAMESPACE), "zh").setText(notice);
            }
            return e;
        }
    }

    /** The purposes answer, under the privacy version in effect. */
    record Purposes(String policyVersion, List<PurposeState> purposes) {

        static Purposes from(Element e) {
            List<PurposeState> purposes = new ArrayList<>();
            e.elements("purpose").forEach(p -> purposes.add(PurposeState.from(p)));
            return new Purposes(e.attributeValue("policy-version"), purposes);
        }

        Element toElement() {
            Element e = ConsentElement.element("purposes").addAttribute("policy-version", policyVersion);
            purposes.forEach(p -> e.add(p.toElement()));
            return e;
        }
    }

    /** The notification at login that material versions wait for the user's acceptance (§3.9). */
    record PolicyUpdate(List<Document> documents) {

        static PolicyUpdate from(Element e) {
            List<Document> documents = new ArrayList<>();
            e.elements("document").forEach(d -> documents.add(Document.from(d)));
            return new PolicyUpdate(documents);
        }

        Element toElement() {
            Element e = ConsentElement.element("policy-update");
            documents.forEach(d -> e.add(d.toElement()));
            return e;
        }
    }
}
