package im.tongyou.server.xml;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Map;
import org.dom4j.Element;

/**
 * An element as a standalone UTF-8 XML fragment (every namespace it uses declared on it), written by
 * the stream's own {@link ElementWriter} with no namespace in scope: about three times cheaper than
 * dom4j's {@code asXML()} (a string built through a {@code StringWriter}, then encoded), which the
 * archive paid twice per message (JFR, docs/benchmarks.md "Archive").
 */
public final class XmlBytes {

    private static final ElementWriter STANDALONE = new ElementWriter("", Map.of());
    /** Per thread, grown to the largest element written and reused. */
    private static final ThreadLocal<ByteBuf> BUFFER = ThreadLocal.withInitial(() -> Unpooled.buffer(1024));
    /** A buffer grown beyond this by one large element is not kept for the next. */
    private static final int KEEP = 64 * 1024;

    private XmlBytes() {
    }

    /** The element as UTF-8 XML, with the namespace declarations it needs. */
    public static byte[] of(Element element) {
        ByteBuf out = BUFFER.get();
        out.clear();
        try {
            STANDALONE.write(element, out);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        } finally {
            if (out.capacity() > KEEP) {
                BUFFER.set(Unpooled.buffer(1024));
            }
        }
    }
}
