package im.tongyou.bench.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A parsed top-level stream element (RFC 6120 §4.1): just enough of a tree for the generator. */
final class El {
    final String name;
    final String ns;
    final Map<String, String> attrs = new HashMap<>(4);
    final List<El> children = new ArrayList<>(2);
    final StringBuilder text = new StringBuilder(0);

    El(String name, String ns) {
        this.name = name;
        this.ns = ns == null ? "" : ns;
    }

    String attr(String key) {
        return attrs.get(key);
    }

    /** The first child with this local name, or null. */
    El child(String local) {
        for (El c : children) {
            if (c.name.equals(local)) {
                return c;
            }
        }
        return null;
    }

    /** The first descendant with this local name (depth first), or null. */
    El find(String local) {
        for (El c : children) {
            if (c.name.equals(local)) {
                return c;
            }
            El d = c.find(local);
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    String text() {
        return text.toString();
    }

    @Override
    public String toString() {
        return "<" + name + " xmlns='" + ns + "' " + attrs + ">";
    }
}
