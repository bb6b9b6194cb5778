package im.tongyou.server.feature.proxy65;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;

/**
 * The proxy's TCP side (XEP-0065 §6.3.2 to §6.3.4, RFC 1928): connections identified by
 * DST.ADDR = SHA1(SID + Initiator JID + Target JID) wait, their bytes held unread, until the
 * initiator activates the pair; then each one's bytes go to the other. Bounded in connections, per
 * address, in waiting time and in idle time.
 */
final class Socks5Relay implements AutoCloseable {

    /** What an activation request found. */
    enum Activation { ACTIVATED, ONE_PARTY, UNKNOWN }

    private static final Logger log = LoggerFactory.getLogger(Socks5Relay.class);

    private final Proxy65Options options;
    private final EventLoopGroup loop;
    private final Channel server;
    private final Map<String, Pair> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, AtomicInteger> openFrom = new ConcurrentHashMap<>();

    /** The two connections of one bytestream; the first is the target's (§6.3.2), the second the initiator's. */
    private static final class Pair {
        Channel first;
        Channel second;
        boolean activated;
    }

    Socks5Relay(InetSocketAddress bind, Proxy65Options options) throws InterruptedException {
        this.options = options;
        // One thread: relaying is copying between sockets, and both ends of a pair share the loop.
        this.loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tongyou-proxy65", true),
                NioIoHandler.newFactory());
        try {
            this.server = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (!admit(ch)) {
                                ch.close();
                                return;
                            }
                            ch.pipeline().addLast(Socks5Handshake.ENCODER, Socks5ServerEncoder.DEFAULT)
                                    .addLast(Socks5Handshake.DECODER, new Socks5InitialRequestDecoder())
                                    .addLast(Socks5Handshake.NAME, new Socks5Handshake(Socks5Relay.this));
                            ch.eventLoop().schedule(() -> {
                                if (ch.pipeline().get(Socks5Handshake.NAME) != null) {
                                    ch.close(); // no partner or no activation in time
                                }
                            }, options.activationSeconds(), TimeUnit.SECONDS);
                        }
                    })
                    .bind(bind).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        log.info("SOCKS5 bytestreams proxy listening on {}", server.localAddress());
    }

    /** The port bound (chosen by the system when 0 was configured). */
    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** XEP-0065 §5.3.2: the hex SHA-1 of the SID, the initiator's JID and the target's JID, as used in the IQs. */
    static String digest(String sid, JID initiator, JID target) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] hash = sha1.digest((sid + initiator + target).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java platform", e);
        }
    }

    private boolean admit(SocketChannel ch) {
        InetAddress from = ch.remoteAddress().getAddress();
        AtomicInteger fromCount = openFrom.computeIfAbsent(from, a -> new AtomicInteger());
        int total = open.incrementAndGet();
        int mine = fromCount.incrementAndGet();
        ch.closeFuture().addListener(f -> {
            open.decrementAndGet();
            openFrom.computeIfPresent(from, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        });
        return total <= options.maxConnections() && mine <= options.maxConnectionsPerAddress();
    }

    /**
     * Files a connection that asked for a bytestream. XEP-0065 §9.1: a proxy SHOULD "allow only
     * one Target to connect to a bytestream", so a third connection for the same digest is refused.
     */
    boolean register(String digest, Channel ch) {
        Pair pair = waiting.computeIfAbsent(digest, d -> new Pair());
        synchronized (pair) {
            if (pair.activated || pair.second != null) {
                return false;
            }
            if (pair.first == null) {
                pair.first = ch;
            } else {
                pair.second = ch;
            }
        }
        // A party that leaves before the activation ends the attempt for both.
        ch.closeFuture().addListener(f -> {
            synchronized (pair) {
                if (pair.activated) {
                    return;
                }
                waiting.remove(digest, pair);
                close(pair.first);
                close(pair.second);
            }
        });
        return true;
    }

    /** §6.3.4: activates the pair with this digest, if both parties are connected. */
    Activation activate(String digest) {
        Pair pair = waiting.get(digest);
        if (pair == null) {
            return Activation.UNKNOWN;
        }
        synchronized (pair) {
            if (pair.activated || !pair.first.isActive()) {
                return Activation.UNKNOWN;
            }
            if (pair.second == null || !pair.second.isActive()) {
                return Activation.ONE_PARTY;
            }
            pair.activated = true;
            waiting.remove(digest, pair);
        }
        Channel a = pair.first;
        Channel b = pair.second;
        a.eventLoop().execute(() -> {
            Socks5Handshake.relay(a, b, options.idleSeconds());
            Socks5Handshake.relay(b, a, options.idleSeconds());
        });
        log.debug("activated a bytestream ({} waiting)", waiting.size());
        return Activation.ACTIVATED;
    }

    private static void close(Channel ch) {
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
