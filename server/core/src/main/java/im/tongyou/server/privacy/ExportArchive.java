package im.tongyou.server.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import im.tongyou.api.privacy.SubjectDataArchive;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dom4j.Element;

/**
 * The data export archive (privacy requirements R-DSR-5, AC-16): a zip holding {@code data.json},
 * every store's export by store name (what PIPL art. 45 calls a copy of all personal information),
 * {@code xep-0227.xml}, the IM part in the XEP-0227 portable format that other XMPP servers import,
 * and {@code README.txt} saying what each file is.
 */
public final class ExportArchive implements SubjectDataArchive {

    static final String JSON_FILE = "data.json";
    static final String XML_FILE = "xep-0227.xml";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final SubjectDataRegistry stores;
    private final String domain;
    private final Clock clock;

    public ExportArchive(SubjectDataRegistry stores, String domain, Clock clock) {
        this.stores = stores;
        this.domain = domain;
        this.clock = clock;
    }

    @Override
    public void write(String username, OutputStream out) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("account", username + "@" + domain);
        json.put("exportedAt", clock.instant().toString());
        json.put("stores", stores.exportAll(username));
        Element user = stores.exportPortable(username);
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        entry(zip, "README.txt", readme(username).getBytes(StandardCharsets.UTF_8));
        entry(zip, JSON_FILE, JSON.writeValueAsBytes(json));
        entry(zip, XML_FILE, PortableFormat.write(PortableFormat.document(domain, List.of(user)))
                .getBytes(StandardCharsets.UTF_8));
        zip.finish();
        zip.flush();
    }

    private String readme(String username) {
        return "A copy of the personal data the Tongyou server at " + domain + " holds about "
                + username + "@" + domain + ", made " + clock.instant() + ".\n\n"
                + JSON_FILE + "     everything, as JSON: one part per store of personal data.\n"
                + XML_FILE + "  the IM part (roster, vCard, offline messages, private storage, message archive)\n"
                + "               in the XEP-0227 portable format, which other XMPP servers can import.\n\n"
                + "Keep this file safe: it holds your messages and profile.\n";
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }
}
