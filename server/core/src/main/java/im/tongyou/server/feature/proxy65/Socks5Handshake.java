package im.tongyou.server.feature.proxy65;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * One connection to the proxy before its activation: the SOCKS5 greeting without authentication
 * and the CONNECT to the bytestream's digest (XEP-0065 §6.3.2, RFC 1928 §3, §4 and §6). After the
 * reply it reads nothing more (§9.1: "ignore but not drop any bytes sent before the bytestream is
 * activated"); {@link #relay} then turns it into one half of a relay.
 */
final class Socks5Handshake extends ChannelInboundHandlerAdapter {

    static final String NAME = "socks5";
    static final String ENCODER = "socks5-encoder";
    static final String DECODER = "socks5-decoder";
    /** Bytes a client may send ahead of the activation that arrived before reading stopped. */
    private static final int MAX_EARLY_BYTES = 64 * 1024;
    private static final int DIGEST_LENGTH = 40;

    private final Socks5Relay relay;
    private final Queue<ByteBuf> early = new ArrayDeque<>();
    private int earlyBytes;

    Socks5Handshake(Socks5Relay relay) {
        this.relay = relay;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DecoderResultProvider decoded && decoded.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            ctx.close(); // not SOCKS5 (RFC 1928 §3: VER must be X'05')
        } else if (msg instanceof Socks5InitialRequest greeting) {
            greet(ctx, greeting);
        } else if (msg instanceof Socks5CommandRequest request) {
            connect(ctx, request);
        } else if (msg instanceof ByteBuf bytes) {
            earlyBytes += bytes.readableBytes();
            early.add(bytes);
            if (earlyBytes > MAX_EARLY_BYTES) {
                ctx.close();
            }
        } else {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    /** XEP-0065 §6.3.2: "even anonymously" — the proxy offers only "no authentication required". */
    private static void greet(ChannelHandlerContext ctx, Socks5InitialRequest greeting) {
        if (!greeting.authMethods().contains(Socks5AuthMethod.NO_AUTH)) {
            ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.pipeline().replace(DECODER, DECODER, new Socks5CommandRequestDecoder());
        ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.NO_AUTH));
    }

    /**
     * XEP-0065 §6.3.2: CMD = CONNECT, ATYP = DOMAINNAME, DST.ADDR = the digest, DST.PORT = 0; the
     * reply's BND.ADDR and BND.PORT echo the request.
     */
    private void connect(ChannelHandlerContext ctx, Socks5CommandRequest request) {
        String digest = request.dstAddr();
        Socks5CommandStatus refusal = null;
        if (request.type() != Socks5CommandType.CONNECT) {
            refusal = Socks5CommandStatus.COMMAND_UNSUPPORTED;
        } else if (request.dstAddrType() != Socks5AddressType.DOMAIN || !isDigest(digest)) {
            refusal = Socks5CommandStatus.ADDRESS_UNSUPPORTED;
        } else if (!relay.register(digest.toLowerCase(java.util.Locale.ROOT), ctx.channel())) {
            refusal = Socks5CommandStatus.FORBIDDEN; // a third party for one bytestream
        }
        if (refusal != null) {
            ctx.writeAndFlush(new DefaultSocks5CommandResponse(refusal, Socks5AddressType.IPv4))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS, Socks5AddressType.DOMAIN,
                digest, request.dstPort()));
    }

    private static boolean isDigest(String s) {
        if (s == null || s.length() != DIGEST_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseEarly();
    }

    private void releaseEarly() {
        ByteBuf b;
        while ((b = early.poll()) != null) {
            b.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /**
     * Makes {@code from} send what it reads to {@code to}, on their shared event loop: first the
     * bytes that came before the activation, then the rest, reading only as fast as {@code to}
     * takes them. Either side closing closes the other once its bytes are written.
     */
    static void relay(Channel from, Channel to, int idleSeconds) {
        Socks5Handshake handshake = (Socks5Handshake) from.pipeline().get(NAME);
        if (handshake == null || !from.isActive() || !to.isActive()) {
            from.close();
            to.close();
            return;
        }
        from.pipeline().remove(DECODER); // anything it still held reaches the handshake's queue
        from.pipeline().remove(ENCODER);
        ByteBuf b;
        while ((b = handshake.early.poll()) != null) {
            to.write(b);
        }
        to.flush();
        from.pipeline().replace(NAME, "idle", new IdleStateHandler(0, 0, idleSeconds, TimeUnit.SECONDS));
        from.pipeline().addLast("relay", new Pump(to));
        from.config().setAutoRead(true);
    }

    /** One direction of an activated bytestream. */
    private static final class Pump extends ChannelInboundHandlerAdapter {
        private final Channel to;

        Pump(Channel to) {
            this.to = to;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            to.writeAndFlush(msg).addListener(f -> {
                if (!f.isSuccess()) {
                    ctx.close();
                }
            });
            if (!to.isWritable()) {
                ctx.channel().config().setAutoRead(false); // the other side reads slower: wait for it
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // This channel drained what the other one sent it: let the other one read again.
            if (ctx.channel().isWritable()) {
                to.config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (to.isActive()) {
                to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
