package im.tongyou.server.privacy;

import im.tongyou.api.AccountException;
import im.tongyou.api.Accounts;
import im.tongyou.api.privacy.AuditLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.dom4j.Document;
import org.dom4j.DocumentException;
import org.dom4j.Element;
import org.dom4j.QName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The import of an export archive ({@link ExportArchive}, privacy requirements AC-16): the IM part,
 * {@code xep-0227.xml} of the zip (or a XEP-0227 file itself), with exactly one user, becomes a new
 * account here with every store's part (roster, vCard, private storage, offline messages, archive).
 * An existing account is never overwritten. The export carries no credential, so the new account
 * gets the password the administrator gives. If a store fails, what was imported is erased again.
 */
public final class ImportArchive {

    private static final Logger log = LoggerFactory.getLogger(ImportArchive.class);
    /** Zip files start with "PK". */
    private static final int ZIP_MAGIC = 0x504b;

    private final Accounts accounts;
    private final SubjectDataRegistry stores;
    private final AuditLog audit;

    public ImportArchive(Accounts accounts, SubjectDataRegistry stores, AuditLog audit) {
        this.accounts = accounts;
        this.stores = stores;
        this.audit = audit;
    }

    /** A file that cannot be imported, with the reason for the administrator. */
    public static final class ImportException extends Exception {
        public ImportException(String message) {
            super(message);
        }
    }

    /**
     * Imports the file's one user as a new account with this password; returns the username.
     *
     * @throws AccountException when the account exists (it is left as it was), the name is retired
     *                          or invalid, or the password too weak
     */
    public String importFile(Path file, char[] password, String actor) throws IOException, ImportException,
            AccountException {
        Element user = user(read(file));
        String name = user.attributeValue("name");
        if (name == null || name.isBlank()) {
            throw new ImportException("the <user/> element has no name");
        }
        if (accounts.exists(name)) {
            throw new AccountException(AccountException.Reason.USERNAME_TAKEN, "the account " + name
                    + " exists already; import refuses to overwrite it (remove it first, or import into another server)");
        }
        if (!accounts.nameAvailable(name)) {
            throw new AccountException(AccountException.Reason.USERNAME_TAKEN, "the name " + name
                    + " belonged to a cancelled account and is never given out again");
        }
        accounts.create(name, password);
        try {
            stores.importPortable(name, user);
        } catch (RuntimeException e) {
            log.error("importing {} failed; what was imported is erased again", name, e);
            stores.eraseAll(name);
            throw e;
        }
        audit.append(actor, "account.imported", name, Map.of("channel", "command-line",
                "host", String.valueOf(user.getParent() == null ? null : user.getParent().attributeValue("jid"))));
        return name;
    }

    /** The XEP-0227 document of a zip export or a plain XEP-0227 file. */
    static Document read(Path file) throws IOException, ImportException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            if (bytes.length > 2 && ((bytes[0] & 0xff) << 8 | (bytes[1] & 0xff)) == ZIP_MAGIC) {
                return PortableFormat.read(new ByteArrayInputStream(xmlOfZip(bytes)));
            }
            return PortableFormat.read(new ByteArrayInputStream(bytes));
        } catch (DocumentException e) {
            throw new ImportException("not a XEP-0227 document: " + e.getMessage());
        }
    }

    private static byte[] xmlOfZip(byte[] zip) throws IOException, ImportException {
        try (InputStream in = new ByteArrayInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry e = entries.getNextEntry(); e != null; e = entries.getNextEntry()) {
                if (e.getName().equals(ExportArchive.XML_FILE)) {
                    return entries.readAllBytes();
                }
            }
        }
        throw new ImportException("the zip holds no " + ExportArchive.XML_FILE + ": is it an export of bin/tongyou export?");
    }

    private static Element user(Document doc) throws ImportException {
        List<Element> users = new ArrayList<>();
        for (Element host : doc.getRootElement().elements(QName.get("host", PortableFormat.NS))) {
            users.addAll(host.elements(QName.get("user", PortableFormat.NS)));
        }
        if (users.size() != 1) {
            throw new ImportException("the file holds " + users.size() + " users; import takes the export of one user");
        }
        return users.get(0);
    }
}
