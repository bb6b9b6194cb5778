package im.tongyou.server.xml;

import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.UncheckedStreamException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ByteProcessor;
import java.nio.ByteBuffer;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.StreamError.Condition;

/**
 * Turns the bytes of an XML stream (RFC 6120 §4) into {@link StreamOpen}, one detached dom4j
 * {@link Element} per first-level child, {@link StreamClose} and {@link StreamFault}, in one
 * pass of aalto-xml's non-blocking parser.
 *
 * <p><b>Faults.</b> Bad input never throws and never reaches {@code exceptionCaught}: the
 * decoder fires one {@link StreamFault} and then discards every byte until {@link #reset()}.
 * Conditions: XML that is not well-formed or not UTF-8 gives {@code not-well-formed}; a
 * comment, a processing instruction (the XML declaration at the start of a stream is not one),
 * a DOCTYPE or an entity reference other than {@code &lt; &gt; &amp; &quot; &apos;} gives
 * {@code restricted-xml}, for RFC 6120 §11.1 says: "If an XMPP implementation receives
 * characters matching such features over an XML stream, it MUST close the stream with a
 * stream error, which SHOULD be <restricted-xml/>"; an XML declaration naming another encoding
 * than UTF-8 gives {@code unsupported-encoding} (§11.6); the limits below give
 * {@code policy-violation}. A root element that is not qualified by the stream namespace gives
 * {@code invalid-namespace}, as §4.8.1 asks: "The root <stream/> element ("stream header")
 * MUST be qualified by the namespace 'http://etherx.jabber.org/streams' ... If this rule is
 * violated, the entity that receives the offending stream header MUST close the stream with a
 * stream error, which SHOULD be <invalid-namespace/>". A root in that namespace with another
 * local name than {@code stream}, and character data other than whitespace between stanzas,
 * break no namespace rule but cannot be processed: {@code bad-format} (§4.9.3.1).
 *
 * <p><b>Limits.</b> A first-level element may span at most {@code maxStanzaBytes} bytes of
 * input, from its {@code <} to the {@code >} of its end tag, and nest at most
 * {@code maxDepth} levels (the first-level element is level 1). Everything before the end of
 * the stream header (XML declaration, whitespace, the header itself) is held to
 * {@code maxStanzaBytes} as well. Whitespace between stanzas is never buffered: the parser
 * reports it per chunk and it is dropped at once.
 *
 * <p><b>Keepalives.</b> Whitespace between first-level elements (RFC 6120 §4.6.1, §11.7) is
 * consumed without an event: a read-idle timer belongs before this decoder (an
 * {@code IdleStateHandler} at the head of the pipeline sees every read, keepalives included).
 *
 * <p><b>Restarts.</b> {@link #reset()} starts a new stream (RFC 6120 §4.3.3) and may be called
 * from a handler that is processing an event this decoder fired, such as {@code <starttls/>}:
 * the decoder stops at once and drops the rest of the current chunk. Nothing can be lost
 * that way, because a client must wait for {@code <proceed/>} or {@code <success/>} before it
 * sends anything more; and dropping is what keeps plaintext bytes injected behind
 * {@code <starttls/>} out of the encrypted stream. Call {@code reset()} on the event loop, and
 * before writing {@code <proceed/>} or {@code <success/>}.
 *
 * <p><b>After the close tag</b> every byte is discarded: a peer must not send anything after
 * {@code </stream:stream>} (§4.4).
 *
 * <p>Buffers are released as soon as their bytes are parsed; the parser is fed views of the
 * buffer's memory, never a copy (except for a buffer that has no NIO view at all).
 *
 * <p><b>Idle streams.</b> An {@link IdleStateEvent} of state {@code ALL_IDLE} (an
 * {@code IdleStateHandler} before this decoder) releases the parser, its symbol table and
 * buffers, the name cache and the builder's arrays, about 5 KB per stream, when the stream is
 * between stanzas: no element open and nothing fed since the last one but whitespace. The next
 * bytes get a new parser, first fed a copy of the stream header's namespace declarations (the
 * prefix of the stream element and every {@code xmlns} binding it made, which stanzas may use,
 * §4.8) so that it resolves names and matches the closing tag as the first one did. Pending
 * whitespace is dropped with the parser; the limits count from the restart.
 */
public final class XmppStreamDecoder extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(XmppStreamDecoder.class);

    /** What the decoder expects next. */
    private enum State { PROLOG, OPEN, CLOSED, FAILED }

    private final int maxStanzaBytes;
    private final XmlNames names = new XmlNames(XmlNames.DEFAULT_MAX_NAMES);
    private final StanzaBuilder builder;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final ByteProcessor prologScanner = this::scanProlog;

    private AsyncXMLStreamReader<AsyncByteBufferFeeder> parser;
    private State state;
    /** Incremented by every reset, so that a loop interrupted by one notices. */
    private int generation;
    /** Bytes fed to the current parser; the parser's byte offsets count from the same start. */
    private long fed;
    /** Offset of the current first-level element's '<'. */
    private long stanzaStart;
    /** Offset just after the last event at stream level (the header, a stanza, whitespace). */
    private long boundary;
    /** Whether "<!" occurred before the stream header, and whether the last byte was '<'. */
    private boolean prologMarkup;
    private boolean prologLessThan;
    /** Whether every byte fed after {@code boundary} is XML whitespace (nothing a parser holds back but blanks). */
    private boolean pendingBlank = true;
    /** The stream element as its header opened it: what a new parser needs to continue the stream. */
    private StreamElement header;
    private ChannelHandlerContext context;

    /**
     * Creates a decoder for one connection.
     *
     * @param maxStanzaBytes the largest first-level element, in bytes of input
     * @param maxDepth       the deepest nesting of elements, the first-level element being 1
     */
    public XmppStreamDecoder(int maxStanzaBytes, int maxDepth) {
        if (maxStanzaBytes < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxStanzaBytes + ", " + maxDepth);
        }
        this.maxStanzaBytes = maxStanzaBytes;
        this.builder = new StanzaBuilder(maxDepth, names);
        startStream();
    }

    /**
     * Starts a new stream on the same connection after STARTTLS or SASL success: a new parser
     * (which accepts a new XML declaration), counters and limits cleared, any fault forgotten.
     * Bytes of the chunk being decoded that were not yet parsed are dropped.
     *
     * @throws IllegalStateException when called outside the channel's event loop
     */
    public void reset() {
        if (context != null && !context.executor().inEventLoop()) {
            throw new IllegalStateException("reset() must run on the channel's event loop");
        }
        startStream();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // may happen inside an event this decoder fired: make its loop stop, decode nothing more
        generation++;
        state = State.CLOSED;
        parser = null;
        builder.clear();
    }

    /** On {@code ALL_IDLE}, releases the parser if the stream is between stanzas (see above); passes every event on. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.ALL_IDLE
                && state == State.OPEN && parser != null && builder.depth() == 0 && pendingBlank) {
            parser = null;
            names.clear();
            builder.release();
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Whether the decoder holds a parser (false once released while idle, until the next bytes). */
    boolean holdsParser() {
        return parser != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (state == State.PROLOG || state == State.OPEN) {
                decode(ctx, buf);
            }
        } catch (RuntimeException e) {
            // Not bad input (that is a fault) but a defect here or in the parser: the stream
            // cannot go on, and the peer is told so instead of seeing the connection drop.
            LOG.warn("{}: unexpected failure while decoding the XML stream", ctx.channel(), e);
            if (state != State.FAILED) {
                fail(ctx, new StreamFault(Condition.internal_server_error, "the stream could not be processed"));
            }
        } finally {
            buf.release();
        }
    }

    private void startStream() {
        parser = AsyncParsers.newParser();
        generation++;
        state = State.PROLOG;
        fed = 0;
        stanzaStart = 0;
        boundary = 0;
        prologMarkup = false;
        prologLessThan = false;
        pendingBlank = true;
        header = null;
        utf8.reset();
        builder.clear();
        names.clear();
    }

    private void decode(ChannelHandlerContext ctx, ByteBuf buf) {
        int start = buf.readerIndex();
        int length = buf.readableBytes();
        if (length == 0) {
            return;
        }
        int gen = generation;
        int bad = buf.forEachByte(start, length, utf8);
        int valid = bad < 0 ? length : bad - start;
        if (valid > 0 && !feed(ctx, buf, start, valid, gen)) {
            return;
        }
        if (bad >= 0) {
            fail(ctx, new StreamFault(Condition.not_well_formed, "the input is not UTF-8 (RFC 6120 §11.6)"));
        }
    }

    /** Feeds bytes to the parser and handles the events; returns false when decoding must stop. */
    private boolean feed(ChannelHandlerContext ctx, ByteBuf buf, int index, int length, int gen) {
        if (state == State.PROLOG && !prologMarkup) {
            int bang = buf.forEachByte(index, length, prologScanner);
            if (bang >= 0) {
                // What precedes "<!" is parsed first: an error there is not taken for restricted markup.
                int before = bang - index;
                if (before > 0 && !feedBytes(ctx, buf, index, before, gen)) {
                    return false;
                }
                prologMarkup = true;
                return feedBytes(ctx, buf, bang, length - before, gen);
            }
        }
        return feedBytes(ctx, buf, index, length, gen);
    }

    private boolean feedBytes(ChannelHandlerContext ctx, ByteBuf buf, int index, int length, int gen) {
        int count = buf.nioBufferCount();
        if (count == 1) {
            return feed(ctx, buf.nioBuffer(index, length), gen);
        }
        ByteBuffer[] parts = count > 1
                ? buf.nioBuffers(index, length)
                : new ByteBuffer[] {ByteBuffer.wrap(ByteBufUtil.getBytes(buf, index, length))};
        for (ByteBuffer part : parts) {
            if (part.hasRemaining() && !feed(ctx, part, gen)) {
                return false;
            }
        }
        return true;
    }

    private boolean feed(ChannelHandlerContext ctx, ByteBuffer bytes, int gen) {
        // aalto counts offsets from position 0 of each buffer fed, not from its position.
        // Netty's NIO views all start at 0; this guards the size limits against one that does not.
        ByteBuffer input = bytes.position() == 0 ? bytes : bytes.slice();
        try {
            if (parser == null) {
                // released while idle: a new parser continues after the replayed start tag
                parser = header.newParser();
                fed = boundary = stanzaStart = header.length();
                pendingBlank = true;
            }
            int size = input.remaining();
            parser.getInputFeeder().feedInput(input);
            fed += size;
            int event;
            while ((event = AsyncParsers.next(parser)) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                onEvent(ctx, event);
                if (gen != generation || state == State.FAILED || state == State.CLOSED) {
                    return false;
                }
            }
            checkIncomplete();
            pendingBlank = Blanks.pendingBlank(input, size, fed - boundary, pendingBlank);
            return true;
        } catch (XMLStreamException e) {
            fail(ctx, Faults.classify(e, state == State.PROLOG && prologMarkup));
        } catch (UncheckedStreamException e) {
            // COMPAT aalto-xml 1.3: text is scanned when it is read, and a character not allowed
            // there (NUL) is reported then, as an unchecked wrapper of the parse error.
            XMLStreamException cause = e.getCause() instanceof XMLStreamException x ? x : new XMLStreamException(e.getMessage());
            fail(ctx, Faults.classify(cause, state == State.PROLOG && prologMarkup));
        } catch (FaultException e) {
            fail(ctx, e.fault());
        }
        return false;
    }

    private void onEvent(ChannelHandlerContext ctx, int event) throws XMLStreamException, FaultException {
        switch (event) {
            case XMLStreamConstants.START_ELEMENT -> startElement(ctx);
            case XMLStreamConstants.END_ELEMENT -> endElement(ctx);
            case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> characters();
            case XMLStreamConstants.START_DOCUMENT -> StreamHeader.checkEncoding(parser);
            case XMLStreamConstants.COMMENT -> throw Faults.restricted("comments are not allowed");
            case XMLStreamConstants.PROCESSING_INSTRUCTION -> throw Faults.restricted("processing instructions are not allowed");
            case XMLStreamConstants.DTD -> throw Faults.restricted("a document type declaration is not allowed");
            case XMLStreamConstants.ENTITY_REFERENCE -> throw Faults.restricted(
                    "the entity reference &" + Faults.abbreviate(parser.getLocalName()) + "; is not allowed");
            default -> {
                // END_DOCUMENT needs endOfInput(), which is never called; the cursor API
                // reports attributes and namespaces with their element.
            }
        }
    }

    private void startElement(ChannelHandlerContext ctx) throws XMLStreamException, FaultException {
        if (state == State.PROLOG) {
            openStream(ctx);
            return;
        }
        long start = parser.getLocationInfo().getStartingByteOffset();
        if (builder.depth() == 0) {
            if (StreamOpen.STREAM_NAMESPACE.equals(parser.getNamespaceURI()) && "stream".equals(parser.getLocalName())) {
                throw new FaultException(Condition.bad_format,
                        "a stream header was sent without a stream restart (RFC 6120 §4.3.3)");
            }
            stanzaStart = start;
        } else if (start - stanzaStart > maxStanzaBytes) {
            throw Faults.tooLarge(maxStanzaBytes);
        }
        builder.startElement(parser);
    }

    private void endElement(ChannelHandlerContext ctx) throws XMLStreamException, FaultException {
        int depth = builder.depth();
        if (depth == 0) {
            state = State.CLOSED;
            ctx.fireChannelRead(StreamClose.INSTANCE);
            return;
        }
        long end = depth == 1 ? parser.getLocationInfo().getEndingByteOffset() : 0;
        if (depth == 1 && end - stanzaStart > maxStanzaBytes) {
            throw Faults.tooLarge(maxStanzaBytes);
        }
        Element element = builder.endElement();
        if (element != null) {
            boundary = end;
            ctx.fireChannelRead(element);
        }
    }

    private void characters() throws XMLStreamException, FaultException {
        if (builder.depth() > 0) {
            builder.characters(parser);
        } else if (state == State.OPEN) {
            // RFC 6120 §11.7 allows whitespace between first-level elements, nothing else.
            if (!parser.isWhiteSpace()) {
                throw new FaultException(Condition.bad_format,
                        "character data between stanzas is not allowed, only whitespace (RFC 6120 §11.7)");
            }
            boundary = parser.getLocationInfo().getEndingByteOffset();
        }
    }

    private void openStream(ChannelHandlerContext ctx) throws XMLStreamException, FaultException {
        StreamOpen open = StreamHeader.read(parser);
        header = StreamElement.of(parser);
        long end = parser.getLocationInfo().getEndingByteOffset();
        if (end > maxStanzaBytes) {
            throw Faults.tooLargeHeader(maxStanzaBytes);
        }
        state = State.OPEN;
        boundary = end;
        ctx.fireChannelRead(open);
    }

    /** After the parser has consumed a whole chunk: holds incomplete constructs to the limit. */
    private void checkIncomplete() throws FaultException {
        if (state == State.PROLOG) {
            if (fed > maxStanzaBytes) {
                throw Faults.tooLargeHeader(maxStanzaBytes);
            }
        } else if (fed - (builder.depth() > 0 ? stanzaStart : boundary) > maxStanzaBytes) {
            throw Faults.tooLarge(maxStanzaBytes);
        }
    }

    private void fail(ChannelHandlerContext ctx, StreamFault fault) {
        state = State.FAILED;
        parser = null;
        builder.clear();
        LOG.debug("{}: stream fault <{}/>: {}", ctx.channel(), fault.condition().toXMPP(), fault.text());
        ctx.fireChannelRead(fault);
    }

    private boolean scanProlog(byte b) {
        if (b == '!' && prologLessThan) {
            return false;
        }
        prologLessThan = b == '<';
        return true;
    }
}
