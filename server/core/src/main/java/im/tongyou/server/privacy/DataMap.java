package im.tongyou.server.privacy;

import im.tongyou.api.privacy.SubjectDataProvider;
import im.tongyou.server.storage.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.dom4j.Document;
import org.dom4j.DocumentException;
import org.dom4j.Element;
import org.dom4j.io.SAXReader;

/**
 * The data map (privacy requirements §1, R-RET-1, AC-29): for every store of personal data the
 * server runs, what it holds (its tables and their user columns, read from the Liquibase changelogs
 * actually applied), why (the store's purpose), for how long (the retention categories its owner
 * declared) and that it has an exporter and an eraser. {@link #uncovered()} names the tables with a
 * user column that no store claims: a defect the build refuses.
 */
public final class DataMap {

    /**
     * Column names that identify a user: a username, an address, a pseudonym, a keyed hash of a
     * phone number, or the keyed hash of a sender that finds a cancelled user's messages in others'
     * offline queues ({@code offline_message.sender_hash}).
     */
    public static final Set<String> USER_COLUMNS = Set.of("username", "jid", "contact", "user_jid", "owner",
            "subject_ref", "phone_hash", "name_hash", "sender_hash");

    /**
     * One store.
     *
     * @param store       the provider's name
     * @param owner       the plugin that registered it, or {@code core}
     * @param purpose     what the data is for
     * @param tables      its tables, each with its user columns
     * @param retention   the owner's retention categories, each with its period ({@code account lifetime} or an ISO duration)
     * @param portable    whether it adds to the XEP-0227 export
     */
    public record Store(String store, String owner, String purpose, Map<String, List<String>> tables,
                        Map<String, String> retention, boolean portable) {
    }

    private final List<Store> stores;
    private final Map<String, List<String>> userColumns;

    private DataMap(List<Store> stores, Map<String, List<String>> userColumns) {
        this.stores = stores;
        this.userColumns = userColumns;
    }

    /** The map of a running server. */
    public static DataMap of(SubjectDataRegistry registry, RetentionRegistry retention,
                             List<Database.Changelog> changelogs) {
        Map<String, List<String>> columns = userColumns(changelogs);
        List<Store> stores = new ArrayList<>();
        for (SubjectDataProvider p : registry.providers()) {
            String owner = registry.owner(p);
            Map<String, List<String>> tables = new TreeMap<>();
            for (String t : new TreeSet<>(p.tables())) {
                tables.put(t, columns.getOrDefault(t.toLowerCase(Locale.ROOT), List.of()));
            }
            Map<String, String> periods = new LinkedHashMap<>();
            for (RetentionRegistry.Category c : retention.categories()) {
                if (c.owner().equals(owner) && (p.retentionCategories().isEmpty()
                        || p.retentionCategories().contains(c.category()))) {
                    periods.put(c.category(), period(c.period()));
                }
            }
            stores.add(new Store(p.name(), owner, p.purpose(), tables, periods, isPortable(p)));
        }
        return new DataMap(List.copyOf(stores), columns);
    }

    /** The stores, in registration order. */
    public List<Store> stores() {
        return stores;
    }

    /** Every table of the applied changelogs that has a user column, with those columns. */
    public Map<String, List<String>> tablesWithUserColumns() {
        return userColumns;
    }

    /** The tables with a user column that no store exports and erases. */
    public Set<String> uncovered() {
        Set<String> claimed = new TreeSet<>();
        stores.forEach(s -> s.tables().keySet().forEach(t -> claimed.add(t.toLowerCase(Locale.ROOT))));
        Set<String> uncovered = new TreeSet<>(userColumns.keySet());
        uncovered.removeAll(claimed);
        return uncovered;
    }

    /** The map as a Markdown table, for {@code bin/tongyou data-map} and the privacy documentation. */
    public String markdown() {
        StringBuilder out = new StringBuilder("| Store | Owner | Purpose | Tables (user columns) | Retention | Export | Erase |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Store s : stores) {
            List<String> tables = new ArrayList<>();
            s.tables().forEach((t, cols) -> tables.add(cols.isEmpty() ? "`" + t + "`" : "`" + t + "` (" + String.join(", ", cols) + ")"));
            List<String> periods = new ArrayList<>();
            s.retention().forEach((c, p) -> periods.add(c + ": " + p));
            out.append("| ").append(s.store()).append(" | ").append(s.owner()).append(" | ")
                    .append(s.purpose().replace("|", "\\|")).append(" | ").append(String.join("<br>", tables))
                    .append(" | ").append(periods.isEmpty() ? "**none declared**" : String.join("<br>", periods))
                    .append(" | JSON").append(s.portable() ? " + XEP-0227" : "").append(" | yes |\n");
        }
        Set<String> uncovered = uncovered();
        if (!uncovered.isEmpty()) {
            out.append("\n**Tables with a user column and no store:** ").append(String.join(", ", uncovered)).append('\n');
        }
        return out.toString();
    }

    static String period(Duration period) {
        if (period == null) {
            return "account lifetime";
        }
        if (period.toDays() > 0 && period.equals(Duration.ofDays(period.toDays()))) {
            return period.toDays() + " days";
        }
        return period.toString();
    }

    private static boolean isPortable(SubjectDataProvider p) {
        try {
            return p.getClass().getMethod("exportPortable", String.class, Element.class).getDeclaringClass()
                    != SubjectDataProvider.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /**
     * Table name (lower case) to its user columns, from every {@code createTable} and {@code addColumn};
     * a {@code dropTable} later in the changelog removes the table.
     */
    static Map<String, List<String>> userColumns(List<Database.Changelog> changelogs) {
        Map<String, List<String>> tables = new TreeMap<>();
        for (Database.Changelog changelog : changelogs) {
            Document doc = read(changelog);
            for (Element e : tableChanges(doc.getRootElement(), new ArrayList<>())) {
                String table = e.attributeValue("tableName").toLowerCase(Locale.ROOT);
                if (e.getName().equals("dropTable")) {
                    tables.remove(table);
                    continue;
                }
                for (Element column : e.elements("column")) {
                    String name = column.attributeValue("name").toLowerCase(Locale.ROOT);
                    if (USER_COLUMNS.contains(name)) {
                        List<String> cols = tables.computeIfAbsent(table, k -> new ArrayList<>());
                        if (!cols.contains(name)) {
                            cols.add(name);
                        }
                    }
                }
            }
        }
        return tables;
    }

    /** Every {@code createTable}, {@code addColumn} and {@code dropTable} under the element, in document order. */
    private static List<Element> tableChanges(Element parent, List<Element> found) {
        for (Element child : parent.elements()) {
            if (child.getName().equals("createTable") || child.getName().equals("addColumn")
                    || child.getName().equals("dropTable")) {
                found.add(child);
            } else {
                tableChanges(child, found);
            }
        }
        return found;
    }

    private static Document read(Database.Changelog changelog) {
        try (InputStream in = changelog.loader().getResourceAsStream(changelog.resource())) {
            if (in == null) {
                throw new IllegalStateException("changelog not found: " + changelog.resource());
            }
            SAXReader reader = new SAXReader();
            reader.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (DocumentException | org.xml.sax.SAXException e) {
            throw new IllegalStateException("cannot read changelog " + changelog.resource() + ": " + e.getMessage(), e);
        }
    }
}
