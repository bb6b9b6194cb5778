package im.tongyou.server.feature.rights;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import im.tongyou.api.StanzaErrorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * The {@code <correction/>} request of {@code xeps/tongyou-rights.md} §3.5 (PIPL art. 46, R-DSR-2):
 * new values for the profile fields, and a free-text description of any other data that is wrong.
 *
 * @param fields the corrected profile fields by element name ({@code nickname}, {@code gender},
 *               {@code birthday}, {@code region}), in the request's order
 * @param other  what else is wrong and how it should read, or {@code null}
 */
record CorrectionElement(Map<String, String> fields, String other) {

    static final List<String> FIELDS = List.of("nickname", "gender", "birthday", "region");
    /** The longest description of other data, in characters. */
    static final int MAX_OTHER = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    CorrectionElement {
        fields = Map.copyOf(fields);
    }

    /** Reads a request: each field at most once and not empty, nothing unknown, something to correct. */
    static CorrectionElement from(Element correction) throws StanzaErrorException {
        Map<String, String> fields = new LinkedHashMap<>();
        String other = null;
        for (Element child : correction.elements()) {
            String name = child.getName();
            if (!RightsIqHandler.NS.equals(child.getNamespaceURI()) || !(FIELDS.contains(name) || name.equals("other"))) {
                throw StanzaErrorException.badRequest("cannot correct <" + name + "/>: name it in <other/>");
            }
            String value = child.getTextTrim();
            if (value.isEmpty()) {
                throw StanzaErrorException.badRequest("<" + name + "/> is empty: a correction gives the right value");
            }
            if (fields.containsKey(name) || (name.equals("other") && other != null)) {
                throw StanzaErrorException.badRequest("<" + name + "/> is given twice");
            }
            if (name.equals("other")) {
                if (value.codePointCount(0, value.length()) > MAX_OTHER) {
                    throw StanzaErrorException.notAcceptable("<other/> is limited to " + MAX_OTHER + " characters");
                }
                other = value;
            } else {
                fields.put(name, value);
            }
        }
        if (fields.isEmpty() && other == null) {
            throw StanzaErrorException.badRequest("the correction names nothing to correct");
        }
        return new CorrectionElement(fields, other);
    }

    /** The element, fields in the schema's order. */
    Element toElement() {
        Element e = DocumentHelper.createElement(QName.get("correction", RightsIqHandler.NS));
        for (String name : FIELDS) {
            if (fields.containsKey(name)) {
                e.addElement(QName.get(name, RightsIqHandler.NS)).setText(fields.get(name));
            }
        }
        if (other != null) {
            e.addElement(QName.get("other", RightsIqHandler.NS)).setText(other);
        }
        return e;
    }

    /** As JSON, to keep (encrypted) until staff decide. */
    byte[] toJson() {
        Map<String, Object> json = new LinkedHashMap<>(fields);
        if (other != null) {
            json.put("other", other);
        }
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CorrectionElement fromJson(byte[] json) {
        try {
            Map<String, String> all = new LinkedHashMap<>(JSON.readValue(json, new TypeReference<Map<String, String>>() { }));
            String other = all.remove("other");
            return new CorrectionElement(all, other);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
