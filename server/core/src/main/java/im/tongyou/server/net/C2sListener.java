package im.tongyou.server.net;

import im.tongyou.server.xml.StanzaEncoder;
import im.tongyou.server.xml.XmppStreamDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A TCP listener for client streams (RFC 6120 §3.2.1 port 5222 with STARTTLS, or XEP-0368 direct
 * TLS on 5223), building each connection's pipeline: TLS, idle timer, stream decoder, stanza
 * encoder, connection handler.
 */
public final class C2sListener implements AutoCloseable {

    /**
     * Seconds without input or output after which a connection counts as quiet and its stream
     * decoder releases its parser (about 5 KB; the next bytes build a new one). Short, because
     * most sessions are idle most of the time; a busy session never pays for a rebuild.
     */
    static final int QUIET_SECONDS = 5;

    private final Channel serverChannel;

    /**
     * Binds the listener.
     *
     * @param limits the stream limits: stanza size, depth and the idle timeout
     */
    public C2sListener(InetSocketAddress address, EventLoopGroup boss, EventLoopGroup workers,
                       Class<? extends io.netty.channel.ServerChannel> channelType, C2sSettings settings,
                       C2sServices services, StreamLimits limits, ConnectionLimiter connectionLimiter)
            throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("limit", connectionLimiter);
                        if (settings.directTls()) {
                            addTlsHandler(ch, settings);
                        }
                        // reader idle: the stream's timeout (C2sHandler); all idle: the decoder releases its parser
                        p.addLast("idle", new IdleStateHandler(limits.idleTimeoutSeconds(), 0,
                                Math.min(QUIET_SECONDS, limits.idleTimeoutSeconds()), TimeUnit.SECONDS));
                        p.addLast("decoder", new XmppStreamDecoder(limits.maxStanzaBytes(), limits.maxDepth()));
                        p.addLast("encoder", new StanzaEncoder(Namespaces.CLIENT));
                        p.addLast("c2s", new C2sHandler(settings, services));
                    }
                });
        this.serverChannel = bootstrap.bind(address).sync().channel();
    }

    /**
     * XEP-0368: TLS from the first byte. While the TLS context is still loading (the first moments
     * after a start) the connection reads nothing; its handler is added when the context is ready,
     * and the connection is closed if it fails to load.
     */
    private static void addTlsHandler(SocketChannel ch, C2sSettings settings) {
        if (settings.tlsReady()) {
            ch.pipeline().addLast("tls", settings.newTlsHandler(ch.alloc(), false));
            return;
        }
        ch.config().setAutoRead(false);
        settings.whenTlsReady(ch.eventLoop(), () -> {
            if (ch.isOpen()) {
                ch.pipeline().addAfter("limit", "tls", settings.newTlsHandler(ch.alloc(), false));
                ch.config().setAutoRead(true);
            }
        }, ch::close);
    }

    /**
     * Limits on what one client may send.
     *
     * @param maxStanzaBytes     the largest stanza in bytes
     * @param maxDepth           the deepest nesting
     * @param idleTimeoutSeconds the longest silence
     */
    public record StreamLimits(int maxStanzaBytes, int maxDepth, int idleTimeoutSeconds) {
    }

    /** The address actually bound (the port is chosen by the system when 0 was asked). */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }
}
