package im.tongyou.server.xml;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8ValidatorTest {

    /** Returns the index of the first rejected byte, or -1, feeding one byte per chunk. */
    static int firstInvalid(Utf8Validator validator, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            ByteBuf chunk = Unpooled.wrappedBuffer(bytes, i, 1);
            if (chunk.forEachByte(validator) >= 0) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void acceptsEveryScalarValueAtTheEdgesOfEachEncodingLength() {
        int[] codePoints = {0x0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFF, 0x1000, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF,
            0x10000, 0x3FFFF, 0x40000, 0xFFFFF, 0x100000, 0x10FFFF};
        for (int codePoint : codePoints) {
            byte[] bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
            Utf8Validator validator = new Utf8Validator();
            assertThat(firstInvalid(validator, bytes)).as("U+%04X", codePoint).isEqualTo(-1);
            assertThat(validator.inSequence()).isFalse();
        }
    }

    @Test
    void carriesAPartialSequenceAcrossChunks() {
        Utf8Validator validator = new Utf8Validator();
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        assertThat(Unpooled.wrappedBuffer(emoji, 0, 2).forEachByte(validator)).isEqualTo(-1);
        assertThat(validator.inSequence()).isTrue();
        assertThat(Unpooled.wrappedBuffer(emoji, 2, 2).forEachByte(validator)).isEqualTo(-1);
        assertThat(validator.inSequence()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "80, 0",            // continuation byte without a lead
        "bf, 0",
        "c0af, 0",          // overlong '/'
        "c1bf, 0",          // overlong
        "e08080, 1",        // overlong three-byte form
        "e09fbf, 1",
        "eda080, 1",        // surrogate U+D800
        "edbfbf, 1",        // surrogate U+DFFF
        "f08f8080, 1",      // overlong four-byte form
        "f4908080, 1",      // above U+10FFFF
        "f5808080, 0",
        "ff, 0",
        "fe, 0",
        "c341, 1",          // sequence cut short by ASCII
        "e4b841, 2",
        "f09f9841, 3",
        "41c3a9c3, -1",     // incomplete at the end is not an error yet
    })
    void rejectsIllFormedSequencesAtTheFirstBadByte(String hex, int index) {
        assertThat(firstInvalid(new Utf8Validator(), HexFormat.of().parseHex(hex))).isEqualTo(index);
    }

    @Test
    void resetForgetsAPartialSequence() {
        Utf8Validator validator = new Utf8Validator();
        assertThat(firstInvalid(validator, new byte[] {(byte) 0xe4})).isEqualTo(-1);
        validator.reset();
        assertThat(firstInvalid(validator, new byte[] {'<'})).isEqualTo(-1);
    }
}
