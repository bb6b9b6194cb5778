package im.tongyou.api.privacy;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A copy of everything the server holds about one user (privacy requirements R-DSR-5, AC-16): a zip
 * with {@code data.json} (every store's export, by store name) and {@code xep-0227.xml} (the IM part
 * in the XEP-0227 portable format: roster, vCard, offline messages, private storage, archive).
 */
public interface SubjectDataArchive {

    /** Writes the user's archive to the stream (which stays open). Blocking. */
    void write(String username, OutputStream out) throws IOException;
}
