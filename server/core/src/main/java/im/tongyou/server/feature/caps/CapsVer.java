package im.tongyou.server.feature.caps;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * The verification string of XEP-0115 §5.1 and the well-formedness checks of §5.4, over a
 * service discovery (XEP-0030) info response and its XEP-0128 forms. Strings are compared with
 * the "i;octet" collation of RFC 4790 §9.3 (by UTF-8 bytes), as §5.1 asks.
 */
final class CapsVer {

    static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    static final String DATA_FORMS = "jabber:x:data";
    private static final QName XML_LANG = QName.get("lang", "xml", "http://www.w3.org/XML/1998/namespace");

    /** The IANA hash names (XEP-0115 §5: the 'hash' attribute) this server can check, to JCA names. */
    private static final Map<String, String> HASHES = Map.of("sha-1", "SHA-1", "sha-224", "SHA-224",
            "sha-256", "SHA-256", "sha-384", "SHA-384", "sha-512", "SHA-512");

    static final Comparator<String> OCTET = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /** A service discovery identity; {@code lang} and {@code name} may be empty. */
    record Identity(String category, String type, String lang, String name) {
        static final Comparator<Identity> ORDER = Comparator.comparing(Identity::category, OCTET)
                .thenComparing(Identity::type, OCTET).thenComparing(Identity::lang, OCTET)
                .thenComparing(Identity::name, OCTET);

        String text() {
            return category + "/" + type + "/" + lang + "/" + name;
        }
    }

    /** An extended information form (XEP-0128): its FORM_TYPE and its other fields by var. */
    record Form(String formType, Map<String, List<String>> fields) {
    }

    /** What the verification string is computed from. */
    record Info(List<Identity> identities, List<String> features, List<Form> forms) {
    }

    private CapsVer() {
    }

    /** Whether the 'hash' attribute names a function this server supports. */
    static boolean supported(String hash) {
        return hash != null && HASHES.containsKey(hash);
    }

    /**
     * Reads a disco#info {@code <query/>}; empty when XEP-0115 §5.4 steps 3 to 5 call it
     * ill-formed (duplicate identities, features or form types). Forms whose FORM_TYPE is missing
     * or not hidden are left out (step 6).
     */
    static Optional<Info> read(Element query) {
        List<Identity> identities = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Element e : query.elements(QName.get("identity", DISCO_INFO))) {
            Identity id = new Identity(nonNull(e.attributeValue("category")), nonNull(e.attributeValue("type")),
                    nonNull(e.attributeValue(XML_LANG)), nonNull(e.attributeValue("name")));
            if (!seen.add(id.text())) {
                return Optional.empty();
            }
            identities.add(id);
        }
        List<String> features = new ArrayList<>();
        Set<String> distinct = new HashSet<>();
        for (Element e : query.elements(QName.get("feature", DISCO_INFO))) {
            String var = nonNull(e.attributeValue("var"));
            if (!distinct.add(var)) {
                return Optional.empty();
            }
            features.add(var);
        }
        List<Form> forms = new ArrayList<>();
        Set<String> formTypes = new HashSet<>();
        for (Element x : query.elements(QName.get("x", DATA_FORMS))) {
            Optional<Optional<Form>> form = readForm(x);
            if (form.isEmpty()) {
                return Optional.empty(); // FORM_TYPE with differing values
            }
            if (form.get().isPresent()) {
                if (!formTypes.add(form.get().get().formType())) {
                    return Optional.empty();
                }
                forms.add(form.get().get());
            }
        }
        return Optional.of(new Info(identities, features, forms));
    }

    /** Empty when ill-formed; an empty inner value for a form to ignore. */
    private static Optional<Optional<Form>> readForm(Element x) {
        String formType = null;
        Map<String, List<String>> fields = new java.util.TreeMap<>(OCTET);
        for (Element field : x.elements(QName.get("field", DATA_FORMS))) {
            String var = field.attributeValue("var");
            List<String> values = new ArrayList<>();
            field.elements(QName.get("value", DATA_FORMS)).forEach(v -> values.add(v.getText()));
            if ("FORM_TYPE".equals(var)) {
                if (new HashSet<>(values).size() > 1) {
                    return Optional.empty();
                }
                if (!"hidden".equals(field.attributeValue("type")) || values.isEmpty()) {
                    return Optional.of(Optional.empty());
                }
                formType = values.get(0);
            } else if (var != null) {
                fields.put(var, values);
            }
        }
        return Optional.of(formType == null ? Optional.empty() : Optional.of(new Form(formType, fields)));
    }

    /** The string S of XEP-0115 §5.1, steps 1 to 7. */
    static String input(Info info) {
        StringBuilder s = new StringBuilder();
        info.identities().stream().sorted(Identity.ORDER).forEach(i -> s.append(i.text()).append('<'));
        info.features().stream().sorted(OCTET).forEach(f -> s.append(f).append('<'));
        info.forms().stream().sorted(Comparator.comparing(Form::formType, OCTET)).forEach(form -> {
            s.append(form.formType()).append('<');
            form.fields().forEach((var, values) -> {
                s.append(var).append('<');
                values.stream().sorted(OCTET).forEach(v -> s.append(v).append('<'));
            });
        });
        return s.toString();
    }

    /** The verification string: S in UTF-8 hashed with the named function, in Base64 (§5.1 steps 8, 9). */
    static String ver(Info info, String hash) {
        String algorithm = HASHES.get(hash);
        if (algorithm == null) {
            throw new IllegalArgumentException("unsupported hash " + hash);
        }
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(input(info).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
        }
    }

    /** The features of a response, for the cache. */
    static Set<String> features(Info info) {
        return Set.copyOf(info.features());
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
