package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.httpfileupload.HttpFileUploadManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP File Upload (XEP-0363) with Smack: a photo goes up and comes back down without its location
 * and camera tags, is stored encrypted, and limits are enforced. The domain is {@code localhost}
 * here so that the upload URLs resolve and match the generated certificate.
 */
class UploadE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .set("server.domain", "localhost")
            .set("plugins.upload.max-file-bytes", "100000")
            .build();

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
    }

    static byte[] photo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
        byte[] exif = "Exif\0\0GPS 31.2304N 121.4737E SN-CANARY-42".getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, 0, (byte) (exif.length + 2)});
        out.writeBytes(exif);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 4, 0, 0});
        out.writeBytes("IMAGE-BYTES-CANARY".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
    }

    @Test
    void aPhotoGoesUpAndComesBackWithoutItsLocation() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        HttpFileUploadManager upload = HttpFileUploadManager.getInstanceFor(romeo);
        upload.setTlsContext(server.clientTls());
        assertThat(upload.discoverUploadService()).isTrue();
        byte[] photo = photo();

        URL url = upload.uploadFile(new ByteArrayInputStream(photo), "balcony.jpg", photo.length);

        HttpClient http = HttpClient.newBuilder().sslContext(server.clientTls()).build();
        HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(url.toURI()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        String served = new String(got.body(), StandardCharsets.ISO_8859_1);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(served).contains("IMAGE-BYTES-CANARY").doesNotContain("GPS").doesNotContain("SN-CANARY-42");
        // At rest the file is encrypted: neither the image nor the tags are readable on disk.
        try (Stream<Path> files = Files.walk(server.dataDir().resolve("uploads"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String raw = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(raw).doesNotContain("IMAGE-BYTES-CANARY").doesNotContain("GPS");
            }
        }
        // A slot is used once.
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(url.toURI())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(photo)).header("Content-Type", "image/jpeg").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(409);
    }

    @Test
    void aFileOverTheLimitIsRefusedWithTheLimit() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        HttpFileUploadManager upload = HttpFileUploadManager.getInstanceFor(romeo);
        upload.discoverUploadService();

        assertThat(upload.getDefaultUploadService().getMaxFileSize()).isEqualTo(100000);
        // Smack refuses such a request itself; a raw client asks anyway.
        try (RawXmppClient raw = server.raw()) {
            raw.login("romeo", "montague-secret", "raw");
            raw.send("<iq type='get' id='big' to='upload.localhost'><request xmlns='urn:xmpp:http:upload:0'"
                    + " filename='big.bin' size='100001' content-type='application/octet-stream'/></iq>");
            String answer = raw.readUntil("</iq>");
            assertThat(answer).contains("type=\"error\"").contains("<not-acceptable")
                    .contains("<file-too-large").contains("<max-file-size>100000</max-file-size>");
        }
    }

    @Test
    void anUnknownSlotIsNotFound() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(server.clientTls()).build();
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(server.server().httpsUrl()
                .replace("localhost", "localhost") + "/upload/0123456789abcdef0123456789abcdef/x.jpg")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(missing.statusCode()).isEqualTo(404);
    }
}
