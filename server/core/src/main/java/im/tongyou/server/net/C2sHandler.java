package im.tongyou.server.net;

import im.tongyou.server.session.Connection;
import im.tongyou.server.session.LocalSession;
import im.tongyou.server.xml.StreamClose;
import im.tongyou.server.xml.StreamFault;
import im.tongyou.server.xml.StreamOpen;
import im.tongyou.server.xml.XmppStreamDecoder;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.StreamStage;
import im.tongyou.api.UnauthenticatedIqHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.StreamError;

/**
 * One client connection (RFC 6120 §4-§7): the stream header, STARTTLS, SASL, resource binding, then
 * the session's stanzas. Negotiation runs on the channel's event loop; blocking steps (credential
 * look-ups, routing) run on the worker pool and come back to the loop.
 */
public final class C2sHandler extends ChannelInboundHandlerAdapter implements Connection {

    private static final Logger log = LoggerFactory.getLogger(C2sHandler.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CLOSE_GRACE_SECONDS = 5;

    private final C2sSettings settings;
    private final C2sServices services;
    private ChannelHandlerContext ctx;
    private Channel channel;
    private ScheduledFuture<?> negotiationTimeout;

    private boolean headerSent;
    private boolean tls;
    private boolean closing;
    /** Our closing tag or stream error is written: nothing may follow it (RFC 6120 §4.4). */
    private boolean outputClosed;
    /** The server ended the stream with an error (a replaced session, a removed account, a violation). */
    private volatile boolean endedByServer;
    private String streamLang = "en";
    /** Elements that arrived while a SASL step ran on a worker; handled in order when it is done. */
    private Queue<Object> held;
    private SaslNegotiation sasl;
    /** The authenticated user, between SASL success and binding. */
    private String username;
    private volatile LocalSession session;
    private StanzaInput input;
    private final StreamManagementInput streamManagement;
    /** The stream ended on purpose (the client closed it, or the server did): no resumption. */
    private boolean cleanClose;

    public C2sHandler(C2sSettings settings, C2sServices services) {
        this.settings = settings;
        this.services = services;
        this.tls = settings.directTls();
        this.streamManagement = new StreamManagementInput(this, services.lifecycle(), settings.maxUnackedStanzas());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        negotiationTimeout = ctx.executor().schedule(() -> {
            if (session == null) {
                closeWithError(StreamError.Condition.connection_timeout, "the stream was not negotiated in time");
            }
        }, settings.negotiationTimeoutSeconds(), TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            return;
        }
        if (held != null) {
            held.add(msg);
            return;
        }
        handle(msg);
    }

    private void handle(Object msg) {
        if (msg instanceof Element element) {
            if (session != null) {
                String ns = element.getNamespaceURI();
                if (StreamManagementInput.SM.equals(ns) || StreamManagementInput.CSI.equals(ns)) {
                    streamManagement.bound(session, element);
                } else {
                    input.accept(element);
                }
            } else {
                negotiate(element);
            }
        } else if (msg instanceof StreamOpen open) {
            onStreamOpen(open);
        } else if (msg instanceof StreamClose) {
            onStreamClose();
        } else if (msg instanceof StreamFault fault) {
            closeWithError(fault.condition(), fault.text());
        }
    }

    /** RFC 6120 §4.7: checks the client's header and answers with ours and the features. */
    private void onStreamOpen(StreamOpen open) {
        if (open.lang() != null && open.lang().length() <= 35) {
            streamLang = open.lang();
        }
        writeHeader(open.from());
        if (!Namespaces.CLIENT.equals(open.defaultNamespace())) {
            // RFC 6120 §4.9.3.10: the content namespace is not one the server supports.
            closeWithError(StreamError.Condition.invalid_namespace, "the stream's default namespace must be jabber:client");
            return;
        }
        if (open.to() != null && !settings.domain().equalsIgnoreCase(open.to())) {
            closeWithError(StreamError.Condition.host_unknown, "this server does not serve that domain");
            return;
        }
        if (!isVersion1(open.version())) {
            // RFC 6120 §4.7.5: without a version of at least 1.0 the client does not speak this protocol.
            closeWithError(StreamError.Condition.unsupported_version, "XMPP 1.0 is required");
            return;
        }
        if (settings.startTlsRequired() && !tls) {
            write(StreamText.startTlsFeatures());
        } else if (username == null) {
            write(StreamText.saslFeatures(offeredMechanisms(), services.features().at(StreamStage.BEFORE_AUTH)));
        } else {
            write(StreamText.boundFeatures(services.features().at(StreamStage.AFTER_AUTH)));
        }
        channel.flush();
    }

    private void writeHeader(String clientFrom) {
        if (!headerSent) {
            headerSent = true;
            String to = clientFrom != null && clientFrom.length() < 3072 ? clientFrom : null;
            ctx.write(StreamText.header(settings.domain(), newStreamId(), to, streamLang));
        }
    }

    private static boolean isVersion1(String version) {
        if (version == null) {
            return false;
        }
        int dot = version.indexOf('.');
        try {
            int major = Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
            return major >= 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    List<String> offeredMechanisms() {
        // RFC 6120 §13.8.3: PLAIN sends the password itself, so it is offered only inside TLS.
        return services.sasl().offered(tls);
    }

    private void negotiate(Element element) {
        String ns = element.getNamespaceURI();
        String name = element.getName();
        if (Namespaces.TLS.equals(ns) && "starttls".equals(name)) {
            startTls();
        } else if (settings.startTlsRequired() && !tls) {
            // RFC 6120 §5.3.1: STARTTLS is mandatory-to-negotiate here.
            closeWithError(StreamError.Condition.policy_violation, "STARTTLS is required before anything else");
        } else if (Namespaces.SASL.equals(ns)) {
            if (username != null) {
                closeWithError(StreamError.Condition.policy_violation, "the stream is already authenticated");
                return;
            }
            if (sasl == null) {
                sasl = new SaslNegotiation(this, services, settings.maxFailuresPerStream());
            }
            sasl.handle(element);
        } else if (username != null && StreamManagementInput.SM.equals(ns)) {
            if ("resume".equals(name)) {
                streamManagement.resume(element, username).ifPresent(this::bound);
            } else {
                streamManagement.unbound(element);
            }
        } else if (username != null && StreamManagementInput.CSI.equals(ns)) {
            return; // XEP-0352 state before binding means nothing yet
        } else if (username != null && Namespaces.CLIENT.equals(ns) && "iq".equals(name)
                && element.element(org.dom4j.QName.get("bind", Namespaces.BIND)) != null) {
            new ResourceBinder(this, services, settings).bind(element, username);
        } else if (username == null && Namespaces.CLIENT.equals(ns) && "iq".equals(name)
                && unauthenticatedIq(element)) {
            return;
        } else if (Namespaces.CLIENT.equals(ns)) {
            // RFC 6120 §4.9.3.12: stanzas before authentication and binding.
            closeWithError(StreamError.Condition.not_authorized, "authenticate and bind a resource first");
        } else {
            closeWithError(StreamError.Condition.unsupported_stanza_type, "unexpected element " + name);
        }
    }

    /**
     * An IQ before authentication that a plugin handles (XEP-0077 §3: registration happens before
     * SASL). It runs on a worker while further input waits; the reply goes to this stream only.
     */
    private boolean unauthenticatedIq(Element element) {
        IQ request = new IQ(element, true);
        IQ.Type type;
        try {
            type = request.getType();
        } catch (IllegalArgumentException e) {
            return false;
        }
        Element child = request.getChildElement();
        if (type == null || child == null) {
            return false;
        }
        UnauthenticatedIqHandler handler = services.unauthenticatedIqs().find(type, child.getNamespaceURI(), child.getName());
        if (handler == null) {
            return false;
        }
        request.setFrom((JID) null);
        request.setTo((JID) null);
        UnauthenticatedIqHandler.Client client = new UnauthenticatedIqHandler.Client(remoteAddress(), tls);
        pause();
        services.workers().execute(() -> {
            IQ reply;
            try {
                reply = handler.handle(request, client);
            } catch (StanzaErrorException e) {
                reply = IQ.createResultIQ(request);
                reply.setType(IQ.Type.error);
                reply.setError(e.toPacketError());
            } catch (RuntimeException e) {
                log.error("an unauthenticated IQ handler failed", e);
                reply = IQ.createResultIQ(request);
                reply.setType(IQ.Type.error);
                reply.setError(new PacketError(PacketError.Condition.internal_server_error));
            }
            IQ answer = reply;
            onLoop(() -> {
                if (isOpen()) {
                    answer.setTo((JID) null);
                    answer.setFrom((JID) null);
                    write(answer);
                    resume();
                }
            });
        });
        return true;
    }

    /**
     * RFC 6120 §5.4.3.3: after {@code <proceed/>} both sides start TLS on the same connection. The
     * {@link SslHandler} goes first in the pipeline in start-TLS mode, so that the proceed element
     * itself still leaves in clear text; the stream restarts (§4.3.3).
     *
     * <p>In the first moments after a start the TLS context may still be loading: the connection
     * then stops reading and sends {@code <proceed/>} when it is ready: "the initiating entity MUST
     * consider the TLS negotiation to have begun immediately after receiving the closing '>'
     * character of the {@code <proceed/>} element" (§5.4.2.3), so it sends nothing meanwhile.
     */
    private void startTls() {
        if (tls || settings.tlsContext() == null) {
            failTls();
            return;
        }
        tls = true;
        restartStream();
        boolean waiting = !settings.tlsReady();
        if (waiting) {
            channel.config().setAutoRead(false);
        }
        settings.whenTlsReady(channel.eventLoop(), () -> {
            if (!isOpen()) {
                return;
            }
            channel.pipeline().addFirst("tls", settings.newTlsHandler(channel.alloc(), true));
            ctx.writeAndFlush(StreamText.PROCEED);
            if (waiting) {
                channel.config().setAutoRead(true);
            }
        }, this::failTls);
    }

    /** RFC 6120 §5.4.2.2: on a TLS failure the server sends {@code <failure/>} and closes the stream and the connection. */
    private void failTls() {
        write(StreamText.TLS_FAILURE);
        ctx.writeAndFlush(StreamText.CLOSE).addListener(ChannelFutureListener.CLOSE);
        closing = true;
        outputClosed = true;
    }

    /** RFC 6120 §4.3.3: a new stream after TLS or SASL success; the decoder starts over. */
    void restartStream() {
        headerSent = false;
        channel.pipeline().get(XmppStreamDecoder.class).reset();
    }

    /** Called on the event loop when SASL succeeded for a user. */
    void authenticated(String user) {
        this.username = user;
        this.sasl = null;
    }

    /** Called on the event loop when a resource was bound: stanzas now go to the session. */
    void bound(LocalSession bound) {
        this.session = bound;
        this.input = new StanzaInput(this, bound, services, settings);
        if (negotiationTimeout != null) {
            negotiationTimeout.cancel(false);
        }
    }

    /** Holds incoming elements until {@link #resume()}: a SASL step is running on a worker. */
    void pause() {
        if (held == null) {
            held = new ArrayDeque<>();
        }
    }

    /** Handles the elements held during a pause, in order, unless a new pause begins. */
    void resume() {
        Queue<Object> queue = held;
        held = null;
        while (queue != null && !queue.isEmpty() && held == null && !closing) {
            handle(queue.poll());
        }
        if (held != null && queue != null) {
            held.addAll(queue);
        }
    }

    /**
     * RFC 6120 §4.4: the client closed its stream first, so it is the client that terminates the TCP
     * connection once it has our closing tag (or after waiting a while); we answer and wait, bounded
     * by the grace period. Closing at once would put our TLS close_notify in the same read as our
     * closing tag, and some clients (Smack's modular connection) then lose the tag.
     *
     * <p>The session stops taking stanzas before our closing tag is written: what reaches it from
     * then on is kept for a second chance (offline storage, the user's other resources), so that a
     * sender who writes after the client has seen our tag loses nothing. Stanzas it took before are
     * already queued on this event loop (it writes them under the lock {@code clientClosed()}
     * takes), so the tag is queued after them: "this gives the other party an opportunity to finish
     * transmitting any outbound data" (§4.4).
     */
    private void onStreamClose() {
        closing = true;
        cleanClose = true;
        LocalSession ending = session;
        if (ending != null) {
            // The session ends now, after the stanzas the client sent before closing, not when the
            // TCP connection goes: what reaches it meanwhile is re-routed, not written to nobody.
            ending.clientClosed();
            input.closed(true);
        }
        ctx.executor().execute(() -> {
            outputClosed = true;
            ctx.writeAndFlush(StreamText.CLOSE);
            closeSoon();
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            if (held != null) {
                return; // the client waits for us (a delayed SASL answer): its silence is not idleness
            }
            closeWithError(StreamError.Condition.connection_timeout, "no data for too long");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        if (negotiationTimeout != null) {
            negotiationTimeout.cancel(false);
        }
        LocalSession ended = session;
        if (ended != null) {
            input.closed(cleanClose);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException || cause instanceof io.netty.handler.codec.DecoderException) {
            log.debug("connection from {} failed: {}", remoteAddress(), cause.toString());
        } else {
            log.warn("connection from {} failed", remoteAddress(), cause);
        }
        if (!closing && channel.isActive() && !(cause instanceof io.netty.handler.codec.DecoderException)) {
            closeWithError(StreamError.Condition.internal_server_error, null);
        } else {
            ctx.close();
        }
    }

    // Connection

    @Override
    public void write(Object stanza) {
        if (channel.eventLoop().inEventLoop()) {
            writeNow(stanza);
        } else {
            channel.eventLoop().execute(() -> writeNow(stanza));
        }
    }

    /**
     * On the event loop. Nothing follows the server's closing tag or stream error (RFC 6120 §4.4):
     * what comes after it (answers to stanzas the client sent just before closing its stream) is not
     * written.
     */
    private void writeNow(Object stanza) {
        if (outputClosed) {
            return;
        }
        if (!channel.isWritable() && pendingBytes() > settings.maxOutboundBytes()) {
            // A client that does not read: bound what waits for it, and end its stream (a resumable
            // session keeps its unacknowledged stanzas for the client's return).
            // It would never read the error either: the connection is closed without waiting for it.
            closeWithError(StreamError.Condition.policy_violation, "the client does not read what it is sent");
            channel.close();
            return;
        }
        channel.writeAndFlush(stanza, channel.voidPromise());
    }

    private long pendingBytes() {
        var buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** Writes without flushing; on the event loop. */
    void writeLater(Object stanza) {
        ctx.write(stanza, ctx.voidPromise());
    }

    @Override
    public void closeWithError(StreamError.Condition condition, String text) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> closeWithError(condition, text));
            return;
        }
        if (closing) {
            return;
        }
        closing = true;
        outputClosed = true;
        endedByServer = true;
        // A timeout is not the client's wish to end: a resumable session may still come back.
        cleanClose = condition != StreamError.Condition.connection_timeout;
        if (!headerSent) {
            // RFC 6120 §4.9.1.2: an error before the header is sent still opens a stream first.
            writeHeader(null);
        }
        log.debug("closing the stream of {} with {}: {}", remoteAddress(), condition.toXMPP(), text);
        ctx.writeAndFlush(StreamText.error(condition, text)).addListener(ChannelFutureListener.CLOSE);
        closeSoon();
    }

    /** A client that never reads would keep the close waiting for the flush: close regardless after a while. */
    private void closeSoon() {
        ctx.executor().schedule(() -> {
            if (channel.isOpen()) {
                ctx.close();
            }
        }, CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public boolean isOpen() {
        return channel.isActive() && !closing;
    }

    /**
     * Whether the server ended the stream with a stream error. Stanzas the client sent before it
     * closed its own stream, or before the connection dropped, are still processed (RFC 6120 §4.4);
     * after a stream error from the server (a replaced session, say) they are not.
     */
    boolean endedByServer() {
        return endedByServer;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    Channel channel() {
        return channel;
    }

    boolean isTls() {
        return tls;
    }

    /** Runs a task on this connection's event loop. */
    void onLoop(Runnable task) {
        channel.eventLoop().execute(task);
    }

    private static String newStreamId() {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }
}
