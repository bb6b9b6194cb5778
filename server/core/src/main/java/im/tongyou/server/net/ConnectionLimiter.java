package im.tongyou.server.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits the open client connections per remote address across all listeners (RFC 6120 §13.12
 * asks servers to guard against denial of service): a connection over the limit is closed at once,
 * before any TLS or XML work, and the others of that address and everyone else are unaffected.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int maxPerAddress;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

    public ConnectionLimiter(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        int count = open.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        if (count > maxPerAddress) {
            log.debug("refusing a connection from {}: {} are open", address, count - 1);
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        open.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        ctx.fireChannelInactive();
    }
}
