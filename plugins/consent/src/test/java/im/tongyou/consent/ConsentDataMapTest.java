package im.tongyou.consent;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.privacy.SubjectDataProvider;
import im.tongyou.server.storage.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every table of the consent changelog with a column that names or points to a person has a
 * {@link SubjectDataProvider} of the plugin that exports and erases it (design guide §6, AC-29 for
 * this plugin's tables).
 */
class ConsentDataMapTest {

    /** Columns that name a user or an account holder, directly or through the ledger's subject id. */
    static final Set<String> PERSON_COLUMNS = Set.of("username", "subject_id", "subject", "subject_ref", "staff");

    @TempDir
    Path dir;

    @Test
    void everyTableWithAPersonColumnHasAProvider() throws Exception {
        Set<String> withPerson = new TreeSet<>();
        try (Database db = TestDatabases.open(TestDatabases.Kind.H2, dir);
             Connection c = db.dataSource().getConnection();
             ResultSet columns = c.getMetaData().getColumns(null, null, "CONSENT_%", null)) {
            while (columns.next()) {
                String table = columns.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                String column = columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                if (PERSON_COLUMNS.contains(column) && !table.equals("consent_grant_period")) {
                    withPerson.add(table);
                }
            }
        }
        assertThat(withPerson).as("the scan finds the tables it should")
                .contains("consent_subject", "consent_ledger", "consent_minor", "consent_ticket");

        List<SubjectDataProvider> providers = List.of(new ConsentSubjectData.Ledger(null, null, 3),
                new ConsentSubjectData.Minor(null, null, null), new ConsentSubjectData.Tickets(null));
        Set<String> covered = new HashSet<>();
        providers.forEach(p -> covered.addAll(p.tables()));
        assertThat(covered).containsAll(withPerson);
        assertThat(providers).extracting(SubjectDataProvider::name).doesNotHaveDuplicates();
    }
}
