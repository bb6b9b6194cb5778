package im.tongyou.bench.load;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import javax.xml.stream.XMLStreamConstants;

/**
 * One client stream as a small state machine on a Netty channel (RFC 6120 §4-§7): stream open,
 * STARTTLS (§5), SASL SCRAM-SHA-1 or PLAIN (§6), in-band registration (XEP-0077 §3.1) when asked,
 * resource binding (§7) and the legacy session (RFC 3921 §3) when a server still requires it.
 * The state is a handful of fields and aalto's non-blocking parser: no thread, no queue of its own.
 */
final class XmppClient extends ChannelInboundHandlerAdapter {
    /** Called on the channel's event loop. */
    interface Listener {
        default void ready(XmppClient c) {
        }

        default void registered(XmppClient c, boolean created) {
        }

        default void failed(XmppClient c, String why) {
        }

        default void stanza(XmppClient c, El stanza) {
        }
    }

    enum Goal { LOGIN, REGISTER }

    private static final AsyncXMLInputFactory XML = new InputFactoryImpl();

    private final Target target;
    private final SslContext ssl;
    final String user;
    private final Goal goal;
    private final boolean presence;
    private final Listener listener;
    /** Free for the scenario: an index, a pair, a counter. */
    final int index;
    final long startNanos = System.nanoTime();
    /** Set by the scenario once it has counted this client as connected or failed. */
    boolean settled;

    Channel channel;
    String jid;
    private AsyncXMLStreamReader<AsyncByteArrayFeeder> reader;
    private final ArrayDeque<El> stack = new ArrayDeque<>();
    private int depth;
    private boolean tlsDone;
    private boolean authenticated;
    private boolean sessionRequired;
    private boolean finished;
    private Scram scram;

    XmppClient(Target target, SslContext ssl, String user, Goal goal, boolean presence, Listener listener, int index) {
        this.target = target;
        this.ssl = ssl;
        this.user = user;
        this.goal = goal;
        this.presence = presence;
        this.listener = listener;
        this.index = index;
    }

    // ---- output ----

    void send(String xml) {
        channel.writeAndFlush(ByteBufUtil.writeUtf8(channel.alloc(), xml), channel.voidPromise());
    }

    void write(String xml) {
        channel.write(ByteBufUtil.writeUtf8(channel.alloc(), xml), channel.voidPromise());
    }

    void flush() {
        channel.flush();
    }

    /** Ends the stream politely (RFC 6120 §4.4) and closes the connection. */
    void close() {
        finished = true;
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(ByteBufUtil.writeUtf8(channel.alloc(), "</stream:stream>"))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    boolean isOpen() {
        return channel != null && channel.isActive() && !finished;
    }

    private void openStream() {
        release();
        reader = XML.createAsyncForByteArray();
        stack.clear();
        depth = 0;
        send("<?xml version='1.0'?><stream:stream to='" + target.domain() + "' version='1.0' xml:lang='en'"
                + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
    }

    /**
     * Closes the stream's parser: aalto then merges the names it learnt into the factory's table,
     * so that the next parser knows the server's element names without parsing them as new ones
     * (an unclosed parser's table is lost, and every stream paid for learning them again).
     */
    private void release() {
        if (reader != null) {
            try {
                reader.close();
            } catch (javax.xml.stream.XMLStreamException e) {
                // nothing to release then
            }
            reader = null;
        }
    }

    private void fail(String why) {
        if (!finished) {
            finished = true;
            listener.failed(this, why);
        }
        if (channel != null) {
            channel.close();
        }
    }

    // ---- input ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        openStream();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail("connection closed by the server");
        release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            if (finished) {
                return;
            }
            byte[] bytes = ByteBufUtil.getBytes(buf);
            AsyncXMLStreamReader<AsyncByteArrayFeeder> r = reader;
            r.getInputFeeder().feedInput(bytes, 0, bytes.length);
            int event;
            while (r == reader && !finished && (event = r.next()) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                switch (event) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        depth++;
                        if (depth >= 2) {
                            El e = new El(r.getLocalName(), r.getNamespaceURI());
                            for (int i = 0; i < r.getAttributeCount(); i++) {
                                e.attrs.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
                            }
                            if (!stack.isEmpty()) {
                                stack.peek().children.add(e);
                            }
                            stack.push(e);
                        }
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (depth >= 2) {
                            stack.peek().text.append(r.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        if (depth >= 2) {
                            El e = stack.pop();
                            if (depth == 2) {
                                depth--;
                                element(e);
                                continue;
                            }
                        } else if (depth == 1) {
                            fail("the server closed the stream");
                        }
                        depth--;
                    }
                    default -> {
                    }
                }
            }
        } catch (Exception e) {
            fail("bad input: " + e.getMessage());
        } finally {
            buf.release();
        }
    }

    private void element(El e) throws Exception {
        switch (e.name) {
            case "features" -> features(e);
            case "proceed" -> startTls();
            case "challenge" -> send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                    + b64(scram.clientFinal(unb64(e.text()))) + "</response>");
            case "success" -> {
                String text = e.text().trim();
                if (scram != null && !text.isEmpty() && !text.equals("=") && !scram.verify(unb64(text))) {
                    fail("the server's SCRAM signature is wrong");
                    return;
                }
                authenticated = true;
                openStream();
            }
            case "failure" -> fail("authentication or TLS failed: " + (e.children.isEmpty() ? "" : e.children.get(0).name));
            case "error" -> fail("stream error: " + (e.children.isEmpty() ? "" : e.children.get(0).name));
            case "iq" -> iq(e);
            default -> listener.stanza(this, e);
        }
    }

    private void features(El f) throws Exception {
        if (target.tls() && !tlsDone) {
            if (f.child("starttls") == null) {
                fail("the server offers no STARTTLS");
                return;
            }
            send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            return;
        }
        if (goal == Goal.REGISTER) {
            send("<iq type='set' id='reg1'><query xmlns='jabber:iq:register'><username>" + user
                    + "</username><password>" + target.password() + "</password></query></iq>");
            return;
        }
        if (!authenticated) {
            El mechanisms = f.child("mechanisms");
            boolean scramOffered = false;
            boolean plainOffered = false;
            if (mechanisms != null) {
                for (El m : mechanisms.children) {
                    scramOffered |= m.text().trim().equals("SCRAM-SHA-1");
                    plainOffered |= m.text().trim().equals("PLAIN");
                }
            }
            if (scramOffered && !target.plain()) {
                scram = new Scram(target.password());
                send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>"
                        + b64(scram.clientFirst(user)) + "</auth>");
            } else if (plainOffered) {
                send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
                        + b64("\0" + user + "\0" + target.password()) + "</auth>");
            } else {
                fail("no usable SASL mechanism offered");
            }
            return;
        }
        El session = f.child("session");
        sessionRequired = session != null && session.child("optional") == null;
        send("<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>load</resource></bind></iq>");
    }

    private void iq(El iq) {
        String id = iq.attr("id");
        String type = iq.attr("type");
        if ("reg1".equals(id)) {
            boolean conflict = "error".equals(type) && iq.find("conflict") != null;
            if ("result".equals(type) || conflict) {
                finished = true;
                listener.registered(this, !conflict);
                close();
            } else {
                El error = iq.child("error");
                fail("registration refused: " + (error == null || error.children.isEmpty() ? type : error.children.get(0).name));
            }
        } else if ("bind1".equals(id)) {
            El j = iq.find("jid");
            if (!"result".equals(type) || j == null) {
                fail("bind refused");
                return;
            }
            jid = j.text().trim();
            if (sessionRequired) {
                send("<iq type='set' id='sess1'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
            } else {
                bound();
            }
        } else if ("sess1".equals(id)) {
            bound();
        } else {
            listener.stanza(this, iq);
        }
    }

    private void bound() {
        if (presence) {
            send("<presence/>");
        }
        listener.ready(this);
    }

    private void startTls() {
        SslHandler handler = ssl.newHandler(channel.alloc(), target.host(), target.port());
        // A starved machine can take longer than Netty's 10 s default to finish many handshakes.
        handler.setHandshakeTimeoutMillis(60_000);
        channel.pipeline().addFirst(handler);
        release();
        handler.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                tlsDone = true;
                openStream();
            } else {
                fail("TLS handshake failed: " + f.cause());
            }
        });
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s.trim()), StandardCharsets.UTF_8);
    }
}
