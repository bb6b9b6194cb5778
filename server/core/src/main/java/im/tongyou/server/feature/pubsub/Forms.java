package im.tongyou.server.feature.pubsub;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/** Reads and writes the XEP-0004 data forms of XEP-0060 (node_config, publish-options, subscribe_options). */
final class Forms {

    private Forms() {
    }

    /** The first data form inside an element, or {@code null}. */
    static Element find(Element parent) {
        return parent == null ? null : parent.element(QName.get("x", PubSub.DATA));
    }

    /** The FORM_TYPE of a form, or {@code null}. */
    static String formType(Element form) {
        List<String> values = values(form).get("FORM_TYPE");
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The values of every field of a form, by name, in order (FORM_TYPE included). */
    static Map<String, List<String>> values(Element form) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Element field : form.elements("field")) {
            String var = field.attributeValue("var");
            if (var == null) {
                continue;
            }
            List<String> list = new ArrayList<>();
            for (Element value : field.elements("value")) {
                list.add(value.getTextTrim());
            }
            values.put(var, list);
        }
        return values;
    }

    /** A new form of the given type ({@code form}, {@code submit}, {@code result}) and FORM_TYPE. */
    static Element create(String type, String formType) {
        Element x = DocumentHelper.createElement(QName.get("x", PubSub.DATA)).addAttribute("type", type);
        field(x, "FORM_TYPE", "hidden", null, formType);
        return x;
    }

    /** Adds a field with its values. */
    static Element field(Element form, String var, String type, String label, String... values) {
        Element field = form.addElement("field").addAttribute("var", var);
        if (type != null) {
            field.addAttribute("type", type);
        }
        if (label != null) {
            field.addAttribute("label", label);
        }
        for (String value : values) {
            field.addElement("value").setText(value);
        }
        return field;
    }

    /** Adds a list-single field with its options. */
    static void list(Element form, String var, String label, String value, List<String> options) {
        Element field = field(form, var, "list-single", label, value);
        for (String option : options) {
            field.addElement("option").addElement("value").setText(option);
        }
    }

    /** A boolean field value (XEP-0004 §3.3: "0", "1", "false", "true"), or throws. */
    static boolean bool(String value) {
        return switch (value) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new IllegalArgumentException("not a boolean: " + value);
        };
    }
}
