package im.tongyou.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;

/**
 * The generator's Netty client side: a few event loops shared by every connection; each connection
 * binds one of the loopback source addresses in turn, so that more than one ephemeral port range
 * is available (RFC 6056). The server's certificate is not checked: the target is this machine.
 * Native epoll when Netty's library loads (as the server under test uses), else NIO: epoll cost the
 * generator less CPU per connection, and on a 2-core machine its CPU is taken from the server's.
 * For the same reason its TLS is BoringSSL (netty-tcnative) by default: with the JDK's TLS, STARTTLS
 * logins took 115-127 % of the 2 cores in the generator and 67-80 % in the servers (2026-11-29), so
 * the figure measured the generator.
 */
final class Net implements AutoCloseable {
    final Target target;
    private final EventLoopGroup group;
    private final SslContext ssl;
    private final Class<? extends Channel> channelType;

    Net(Target target, int threads) throws SSLException {
        this.target = target;
        boolean epoll = Epoll.isAvailable() && !Boolean.getBoolean("load.nio");
        this.group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.ssl = target.tls()
                ? SslContextBuilder.forClient().sslProvider(tlsProvider(target.openSsl()))
                        .trustManager(InsecureTrustManagerFactory.INSTANCE).build()
                : null;
    }

    /** OpenSSL when asked for and netty-tcnative loads on this machine, else the JDK's TLS. */
    static SslProvider tlsProvider(boolean openSsl) {
        return openSsl && OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    XmppClient connect(int user, XmppClient.Goal goal, boolean presence, XmppClient.Listener listener, int index) {
        XmppClient client = new XmppClient(target, ssl, target.user(user), goal, presence, listener, index);
        Bootstrap b = new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000)
                .handler(client);
        InetSocketAddress local = new InetSocketAddress(target.sources().get(index % target.sources().size()), 0);
        b.connect(new InetSocketAddress(target.host(), target.port()), local).addListener(f -> {
            if (!f.isSuccess()) {
                listener.failed(client, "connect: " + f.cause().getMessage());
            }
        });
        return client;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
