package im.tongyou.server.feature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dom4j.Attribute;
import org.dom4j.Element;

/** The fenced {@code xml} examples of a spec in {@code xeps/}, and a structural comparison of XML. */
public final class SpecExamples {

    private SpecExamples() {
    }

    /** The spec file, found from the module's directory (where tests run) or the repository root. */
    public static Path spec(String name) {
        for (Path p : List.of(Path.of("../../xeps", name), Path.of("xeps", name))) {
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException("xeps/" + name + " not found from " + Path.of("").toAbsolutePath());
    }

    /** The text of every fenced {@code xml} block, in order. */
    public static List<String> xmlBlocks(Path spec) throws IOException {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(spec)) {
            if (current == null && line.strip().equals("```xml")) {
                current = new StringBuilder();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }

    /**
     * Whether two elements say the same: names, namespaces, attributes, trimmed text and children
     * in order (whitespace between elements and namespace declarations do not count).
     */
    public static boolean same(Element a, Element b) {
        if (!a.getQName().equals(b.getQName()) || !attributes(a).equals(attributes(b))
                || !a.getTextTrim().equals(b.getTextTrim())) {
            return false;
        }
        List<Element> ca = a.elements();
        List<Element> cb = b.elements();
        if (ca.size() != cb.size()) {
            return false;
        }
        for (int i = 0; i < ca.size(); i++) {
            if (!same(ca.get(i), cb.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> attributes(Element e) {
        Map<String, String> map = new TreeMap<>();
        for (Attribute a : e.attributes()) {
            map.put(a.getQName().getNamespaceURI() + "|" + a.getName(), a.getValue());
        }
        return map;
    }
}
