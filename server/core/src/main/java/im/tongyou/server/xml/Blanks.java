package im.tongyou.server.xml;

import java.nio.ByteBuffer;

/**
 * Whether the bytes a stream decoder fed after its last stream-level event are all XML whitespace
 * (XML 1.0 §2.3 {@code S}: what RFC 6120 §4.6.1 keepalives are made of), so that a parser holding
 * them back may be released without losing anything but blanks.
 */
final class Blanks {

    private Blanks() {
    }

    /**
     * Answers after a chunk was parsed. The pending bytes are the last {@code pending} of the input
     * so far; when they began in an earlier chunk, {@code earlier} (the answer for that chunk) holds
     * for their first part.
     *
     * @param input   the chunk, from index 0
     * @param size    its length
     * @param pending bytes fed since the last stream-level event
     * @param earlier the previous answer
     */
    static boolean pendingBlank(ByteBuffer input, int size, long pending, boolean earlier) {
        if (pending <= 0) {
            return true;
        }
        if (pending > size && !earlier) {
            return false;
        }
        for (int i = pending >= size ? 0 : size - (int) pending; i < size; i++) {
            byte b = input.get(i);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
