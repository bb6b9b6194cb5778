package im.tongyou.server.storage;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;

/**
 * Tells HikariCP to drop a pooled connection whose database went away. Hikari recognises
 * PostgreSQL's connection errors (SQLState class 08) by itself, but H2 in server mode reports a
 * lost server with its own codes (90067 "connection is broken", 90121 "database is already
 * closed") as {@link SQLNonTransientConnectionException}; without this the pool would hand out the
 * dead connection again and again after the database is back.
 */
public final class EvictBrokenConnections implements SQLExceptionOverride {

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        String state = e.getSQLState();
        if (e instanceof SQLNonTransientConnectionException || (state != null && state.startsWith("08"))) {
            return Override.MUST_EVICT;
        }
        return Override.CONTINUE_EVICT;
    }
}
