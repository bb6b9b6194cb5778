package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqregister.AccountManager;

/** What a test server stored, read straight from its in-memory database, and waiting for a disconnect. */
final class StoredData {

    private StoredData() {
    }

    /** Waits (at most 10 s) until the server has closed the connection; true when it has. */
    static boolean waitUntilDisconnected(XMPPTCPConnection connection) throws Exception {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        connection.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosed() {
                closed.complete(null);
            }

            @Override
            public void connectionClosedOnError(Exception e) {
                closed.complete(null);
            }
        });
        if (!connection.isConnected()) {
            return true;
        }
        try {
            closed.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return false;
        }
        return !connection.isConnected();
    }

    /**
     * Cancels the account with Smack's AccountManager (XEP-0077 §3.2). The server sends the result
     * before its not-authorized stream error, but Smack may handle the stream error first and report
     * the connection lost instead of the result; either way the removal happened.
     */
    static void deleteAccount(XMPPTCPConnection connection) throws Exception {
        try {
            AccountManager.getInstance(connection).deleteAccount();
        } catch (SmackException.NotConnectedException e) {
            // the race described above
        }
    }

    /** A check on the server's state. */
    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    /**
     * Waits (at most 10 s) until the check holds, for work the server finishes after it answered:
     * an account's erasure runs after its sessions were closed.
     */
    static boolean eventually(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    static long rows(TongyouServerExtension server, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(server.databaseUrl()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every cell of every table, as text (binary columns decoded byte for byte). */
    static List<String> cells(TongyouServerExtension server) throws Exception {
        List<String> cells = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(server.databaseUrl())) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).isNotEmpty();
            for (String table : tables) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            Object v = rs.getObject(i);
                            cells.add(v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(v));
                        }
                    }
                }
            }
        }
        return cells;
    }
}
