package im.tongyou.server.admin;

import im.tongyou.api.AccountException;
import java.util.List;

/**
 * The account tasks of the command line ({@code bin/tongyou user ...}), done either on the database
 * directly (server stopped) or by the running server through its admin socket.
 */
public interface AccountAdmin extends AutoCloseable {

    void add(String username, char[] password) throws AccountException;

    void remove(String username) throws AccountException;

    void passwd(String username, char[] password) throws AccountException;

    List<String> list();

    /**
     * Writes the user's data export archive (JSON + XEP-0227, privacy requirements AC-16) to the
     * file, and records the export in the audit trail.
     */
    void export(String username, java.nio.file.Path file) throws AccountException;

    /**
     * Imports an export archive (or a XEP-0227 file) of one user as a new account with this
     * password (AC-16); returns the username. An existing account is never overwritten.
     */
    String importFile(java.nio.file.Path file, char[] password) throws AccountException;

    /** The data map as Markdown (AC-29). */
    String dataMap();

    @Override
    void close();
}
