package im.tongyou.server.feature.upload;

import java.io.ByteArrayOutputStream;

/**
 * Removes the metadata segments of a JPEG file — APP1 (Exif with GPS position, camera make, model
 * and serial; XMP), APP13 (IPTC) and comments — keeping the image untouched (the privacy
 * requirements' AC-18: media are stored and served without location or device tags). The format is
 * a sequence of marker segments up to the start of scan (ITU T.81 Annex B); anything that is not a
 * well-formed JPEG is returned as it is.
 */
final class JpegMetadata {

    private JpegMetadata() {
    }

    static boolean isJpeg(byte[] data) {
        return data.length > 4 && (data[0] & 0xFF) == 0xFF && (data[1] & 0xFF) == 0xD8;
    }

    static byte[] strip(byte[] data) {
        if (!isJpeg(data)) {
            return data;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
        out.write(data, 0, 2); // SOI
        int i = 2;
        while (i + 4 <= data.length) {
            if ((data[i] & 0xFF) != 0xFF) {
                return data; // not a marker where one must be: leave the file alone
            }
            int marker = data[i + 1] & 0xFF;
            if (marker == 0xDA) { // start of scan: the rest is image data
                out.write(data, i, data.length - i);
                return out.toByteArray();
            }
            int length = ((data[i + 2] & 0xFF) << 8) | (data[i + 3] & 0xFF);
            if (length < 2 || i + 2 + length > data.length) {
                return data;
            }
            boolean metadata = marker == 0xE1 || marker == 0xED || marker == 0xFE;
            if (!metadata) {
                out.write(data, i, 2 + length);
            }
            i += 2 + length;
        }
        return data;
    }
}
