package im.tongyou.server.storage;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells the connection pool to drop a connection H2 reports as broken or closed: H2's codes for it
 * are not SQLState class 08, so the pool would otherwise hand the dead connection out again after
 * the database came back (an H2 server restarted under a running Tongyou server).
 */
public final class BrokenConnections implements SQLExceptionOverride {

    /** H2: connection broken (90067), database closed (90098), database already closed (90121). */
    private static final int[] H2_GONE = {90067, 90098, 90121};

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        for (int code : H2_GONE) {
            if (e.getErrorCode() == code) {
                return Override.MUST_EVICT;
            }
        }
        return Override.CONTINUE_EVICT;
    }
}
