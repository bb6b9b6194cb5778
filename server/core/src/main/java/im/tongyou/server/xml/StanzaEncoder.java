package im.tongyou.server.xml;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.util.Map;
import org.dom4j.Element;
import org.xmpp.packet.Packet;

/**
 * Writes stanzas and other first-level elements of an XML stream (RFC 6120 §4.1) as UTF-8:
 * a tinder {@link Packet} or a dom4j {@link Element} is serialized against the namespaces that
 * the server's stream header declares; a {@link CharSequence} is written as it is (the stream
 * header and {@code </stream:stream>}, which the negotiator writes itself).
 *
 * <p>An element in the stream's content namespace goes out without {@code xmlns}, one in
 * another namespace keeps it, and a {@code stream:}-prefixed element (features, error) relies on
 * the header's declaration. See {@link ElementWriter} for what is escaped and dropped so that
 * no element, whoever built it, can break the peer's stream.
 *
 * <p>Other messages, such as {@link ByteBuf}s, pass through. The encoder keeps no state and
 * can be shared by every channel with the same stream header bindings.
 */
@Sharable
public final class StanzaEncoder extends MessageToByteEncoder<Object> {

    /** The content namespace of client-to-server streams (RFC 6120 §4.8.3). */
    public static final String JABBER_CLIENT = "jabber:client";

    private final ElementWriter writer;

    /** Creates an encoder for a {@code jabber:client} stream whose header binds {@code stream}. */
    public StanzaEncoder() {
        this(JABBER_CLIENT);
    }

    /** Creates an encoder for a stream with this content namespace whose header binds {@code stream}. */
    public StanzaEncoder(String streamNamespace) {
        this(streamNamespace, Map.of("stream", StreamOpen.STREAM_NAMESPACE));
    }

    /**
     * Creates an encoder for a stream header that declares {@code streamNamespace} as default
     * and the prefixed bindings {@code headerBindings} (prefix to namespace URI).
     */
    public StanzaEncoder(String streamNamespace, Map<String, String> headerBindings) {
        this.writer = new ElementWriter(streamNamespace, Map.copyOf(headerBindings));
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof Packet || msg instanceof Element || msg instanceof CharSequence;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        if (msg instanceof Packet packet) {
            writer.write(packet.getElement(), out);
        } else if (msg instanceof Element element) {
            writer.write(element, out);
        } else {
            ByteBufUtil.writeUtf8(out, (CharSequence) msg);
        }
    }
}
