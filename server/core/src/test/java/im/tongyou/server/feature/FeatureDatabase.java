package im.tongyou.server.feature;

import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.privacy.DataKeys;
import im.tongyou.server.privacy.MasterKey;
import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A fresh database of one kind with the core changelog, a feature's changelog and real per-user
 * data keys, for the store tests of the core features.
 */
public final class FeatureDatabase implements AutoCloseable {

    private final Database database;
    private final DataKeys crypto;

    private FeatureDatabase(Database database, DataKeys crypto) {
        this.database = database;
        this.crypto = crypto;
    }

    /** Opens a database of the kind and applies the feature changelogs (classpath resources). */
    public static FeatureDatabase open(TestDatabases.Kind kind, Path dir, Clock clock, String... changelogs) {
        Database database = Database.open(TestDatabases.config(kind, dir));
        for (String changelog : changelogs) {
            database.applyChangelog(changelog, FeatureDatabase.class.getClassLoader());
        }
        return new FeatureDatabase(database, new DataKeys(database.dataSource(), MasterKey.load(dir), clock));
    }

    public DataSource dataSource() {
        return database.dataSource();
    }

    public Crypto crypto() {
        return crypto;
    }

    /** Every cell of a table as text (binary as ISO-8859-1), to check that no plaintext is stored. */
    public List<String> cells(String table) throws Exception {
        List<String> cells = new ArrayList<>();
        try (var c = dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT * FROM " + table)) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    cells.add(value instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)
                            : value instanceof java.sql.Blob blob
                                    ? new String(blob.getBytes(1, (int) blob.length()), java.nio.charset.StandardCharsets.ISO_8859_1)
                                    : String.valueOf(value));
                }
            }
        }
        return cells;
    }

    @Override
    public void close() {
        database.close();
    }
}
