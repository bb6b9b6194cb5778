package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.filetransfer.FileTransfer;
import org.jivesoftware.smackx.filetransfer.FileTransferManager;
import org.jivesoftware.smackx.filetransfer.FileTransferNegotiator;
import org.jivesoftware.smackx.filetransfer.OutgoingFileTransfer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Romeo sends Juliet a file by stream initiation (XEP-0095/XEP-0096) over in-band bytestreams
 * (XEP-0047). The server only routes IQs between full JIDs (RFC 6121 §8.5.3.1), whatever the users'
 * subscriptions, and must keep them in order.
 */
class FileTransferE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
        FileTransferNegotiator.IBB_ONLY = true;
    }

    @AfterAll
    static void restore() {
        FileTransferNegotiator.IBB_ONLY = false;
    }

    @Test
    void aFileSentInBandArrivesWhole() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        byte[] letter = "But soft, what light through yonder window breaks? ".repeat(400)
                .getBytes(StandardCharsets.UTF_8);

        CompletableFuture<byte[]> received = new CompletableFuture<>();
        FileTransferManager.getInstanceFor(juliet).addFileTransferListener(request -> {
            try (InputStream in = request.accept().receiveFile()) {
                received.complete(in.readNBytes(letter.length));
            } catch (Exception e) {
                received.completeExceptionally(e);
            }
        });

        OutgoingFileTransfer transfer = FileTransferManager.getInstanceFor(romeo)
                .createOutgoingFileTransfer(juliet.getUser());
        transfer.sendStream(new ByteArrayInputStream(letter), "letter.txt", letter.length, "a letter");

        assertThat(received.get(60, TimeUnit.SECONDS)).isEqualTo(letter);
        long deadline = System.currentTimeMillis() + 30_000;
        while (!transfer.isDone() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50); // Smack reports the sender's side from its own thread
        }
        assertThat(transfer.getStatus()).isEqualTo(FileTransfer.Status.complete);
    }
}
