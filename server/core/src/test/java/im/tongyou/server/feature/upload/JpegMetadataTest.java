package im.tongyou.server.feature.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** JPEG metadata removal: Exif (GPS, camera), XMP, IPTC and comments go, the image stays. */
class JpegMetadataTest {

    static void segment(ByteArrayOutputStream out, int marker, byte[] payload) {
        out.write(0xFF);
        out.write(marker);
        int length = payload.length + 2;
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(payload);
    }

    static byte[] jpeg(boolean withMetadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        segment(out, 0xE0, "JFIF\0\1\1\0\0\1\0\1\0\0".getBytes(StandardCharsets.ISO_8859_1));
        if (withMetadata) {
            segment(out, 0xE1, "Exif\0\0GPSLatitude 31.2304 N Canon EOS serial 1234".getBytes(StandardCharsets.ISO_8859_1));
            segment(out, 0xED, "Photoshop 3.0 IPTC city Shanghai".getBytes(StandardCharsets.ISO_8859_1));
            segment(out, 0xFE, "taken at home".getBytes(StandardCharsets.ISO_8859_1));
        }
        segment(out, 0xDB, new byte[65]); // a quantisation table
        segment(out, 0xDA, new byte[10]); // start of scan header
        out.writeBytes(new byte[] {1, 2, 3, 4, (byte) 0xFF, 0, 5, 6}); // entropy-coded data
        out.write(0xFF);
        out.write(0xD9);
        return out.toByteArray();
    }

    @Test
    void metadataSegmentsAreRemovedAndTheRestKeptByteForByte() {
        byte[] stripped = JpegMetadata.strip(jpeg(true));

        String text = new String(stripped, StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain("GPSLatitude").doesNotContain("Canon").doesNotContain("Shanghai")
                .doesNotContain("taken at home");
        assertThat(stripped).isEqualTo(jpeg(false));
    }

    @Test
    void otherFilesAndBrokenJpegsAreLeftAlone() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 0};
        byte[] truncated = java.util.Arrays.copyOf(jpeg(true), 30);

        assertThat(JpegMetadata.strip(png)).isSameAs(png);
        assertThat(JpegMetadata.strip(truncated)).isSameAs(truncated);
    }
}
