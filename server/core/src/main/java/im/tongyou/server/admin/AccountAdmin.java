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

    @Override
    void close();
}
