package im.tongyou.server.net.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * An {@link EmbeddedChannel} with a loopback socket address, as a real client connection has
 * (the connection handler reads the client's IP address for the login throttle), and a frozen clock.
 */
final class FuzzChannel extends EmbeddedChannel {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    FuzzChannel() {
        super();
        freezeTime(); // timers fire only when the harness moves the clock, however slow the machine
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return CLIENT;
    }

    /** Everything the server wrote since the last call, decoded as strict UTF-8. */
    String takeOutput() {
        StringBuilder out = new StringBuilder();
        for (Object msg; (msg = readOutbound()) != null; ) {
            if (msg instanceof ByteBuf buf) {
                try {
                    out.append(StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(io.netty.buffer.ByteBufUtil.getBytes(buf))));
                } catch (CharacterCodingException e) {
                    throw new AssertionError("the server wrote bytes that are not UTF-8", e);
                } finally {
                    buf.release();
                }
            } else {
                throw new AssertionError("the server wrote something that is not bytes: " + msg);
            }
        }
        return out.toString();
    }
}
