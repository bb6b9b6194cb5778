package im.tongyou.server.xml;

import io.netty.util.ByteProcessor;

/**
 * An incremental check that bytes are well-formed UTF-8 as RFC 6120 §11.6 requires, carrying
 * its state across chunk boundaries.
 *
 * <p>aalto-xml decodes some ill-formed sequences silently (overlong forms such as
 * {@code C0 AF} for '/', and lead bytes {@code F4 90..} or {@code F5..FF} beyond U+10FFFF), so
 * the decoder runs every chunk through this check first. The accepted sequences are exactly
 * those of Table 3-7 of the Unicode Standard ("Well-Formed UTF-8 Byte Sequences"), which
 * excludes overlong forms, surrogates (ED A0..BF) and code points above U+10FFFF.
 * Use it with {@code ByteBuf.forEachByte}: {@link #process(byte)} returns {@code false} at the
 * first byte that cannot continue a well-formed sequence.
 */
final class Utf8Validator implements ByteProcessor {

    /** Continuation bytes still expected for the current sequence; 0 between characters. */
    private int pending;
    /** Allowed range of the next continuation byte (unsigned); narrower only for the first. */
    private int lower = 0x80;
    private int upper = 0xBF;

    @Override
    public boolean process(byte value) {
        int b = value & 0xFF;
        if (pending == 0) {
            if (b < 0x80) {
                return true;
            }
            return lead(b);
        }
        if (b < lower || b > upper) {
            return false;
        }
        pending--;
        lower = 0x80;
        upper = 0xBF;
        return true;
    }

    private boolean lead(int b) {
        if (b >= 0xC2 && b <= 0xDF) {
            pending = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            pending = 2;
            if (b == 0xE0) {
                lower = 0xA0;          // below: overlong
            } else if (b == 0xED) {
                upper = 0x9F;          // above: UTF-16 surrogates
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            pending = 3;
            if (b == 0xF0) {
                lower = 0x90;          // below: overlong
            } else if (b == 0xF4) {
                upper = 0x8F;          // above: beyond U+10FFFF
            }
        } else {
            return false;              // 80..C1 (stray continuation, overlong) and F5..FF
        }
        return true;
    }

    /** Returns whether a multi-byte sequence is still incomplete. */
    boolean inSequence() {
        return pending != 0;
    }

    /** Forgets any partial sequence, for a new stream. */
    void reset() {
        pending = 0;
        lower = 0x80;
        upper = 0xBF;
    }
}
