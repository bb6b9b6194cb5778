package im.tongyou.server.xml;

import static im.tongyou.server.xml.Decoding.decode;
import static im.tongyou.server.xml.Decoding.describe;
import static im.tongyou.server.xml.Decoding.parseIndependently;
import static im.tongyou.server.xml.Decoding.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Message;
import org.xmpp.packet.StreamError;

class StanzaEncoderTest {

    static final String STREAMS = StreamOpen.STREAM_NAMESPACE;
    static final String SERVER_HEADER = "<?xml version='1.0'?><stream:stream from='tongyou.im' id='s1' version='1.0'"
            + " xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

    static String encode(Object msg) {
        return encode(new StanzaEncoder(), msg);
    }

    static String encode(StanzaEncoder encoder, Object msg) {
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        channel.writeOutbound(msg);
        ByteBuf out = channel.readOutbound();
        String xml = out.toString(StandardCharsets.UTF_8);
        out.release();
        Object more = channel.readOutbound();
        assertThat(more).isNull();
        channel.finishAndReleaseAll();
        return xml;
    }

    static Element element(String name, String uri) {
        return DocumentHelper.createElement(QName.get(name, uri));
    }

    @Test
    void writesATinderMessageInTheContentNamespaceWithoutDeclaringIt() {
        Message message = new Message();
        message.setTo("juliet@tongyou.im/balcony");
        message.setID("m1");
        message.setType(Message.Type.chat);
        message.setBody("我爱你 😀 a<b & c>d \"q\" 'a'");
        assertThat(encode(message)).isEqualTo("<message to=\"juliet@tongyou.im/balcony\" id=\"m1\" type=\"chat\">"
                + "<body>我爱你 😀 a&lt;b &amp; c&gt;d \"q\" 'a'</body></message>");
    }

    @Test
    void escapesAttributeValues() {
        Element presence = element("presence", "jabber:client");
        presence.addAttribute("id", "a&b<c>d\"e'f\tg\nh\ri");
        assertThat(encode(presence)).isEqualTo("<presence id=\"a&amp;b&lt;c>d&quot;e'f&#9;g&#10;h&#13;i\"/>");
    }

    @Test
    void escapesText() {
        Element status = element("status", "jabber:client");
        status.setText("a&b<c>d\"e'\tf\ng\rh]]>");
        assertThat(encode(status)).isEqualTo("<status>a&amp;b&lt;c&gt;d\"e'\tf\ng&#13;h]]&gt;</status>");
    }

    @Test
    void dropsCharactersThatXmlDoesNotAllow() {
        String dirty = "a\u0000b\u0001c\u001Fd\uFFFEe\uFFFFf\uD800g\uDC00h😀i\u0085j\uE000k\uFFFDl\uDBFF";
        Element body = element("body", "jabber:client");
        body.addAttribute("id", dirty);
        body.setText(dirty);
        String clean = "abcdefgh😀i\u0085j\uE000k\uFFFDl";
        assertThat(encode(body)).isEqualTo("<body id=\"" + clean + "\">" + clean + "</body>");
    }

    @Test
    void aForeignNamespaceKeepsItsDeclarationAndChildrenInheritIt() {
        Element starttls = element("starttls", "urn:ietf:params:xml:ns:xmpp-tls");
        starttls.addElement("required");
        assertThat(encode(starttls)).isEqualTo("<starttls xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"><required/></starttls>");

        IQ iq = new IQ(IQ.Type.result, "r1");
        Element query = iq.setChildElement("query", "jabber:iq:roster");
        query.addElement("item").addAttribute("jid", "romeo@tongyou.im");
        query.add(element("x", "jabber:client"));
        query.add(DocumentHelper.createElement("bare"));
        assertThat(encode(iq)).isEqualTo("<iq type=\"result\" id=\"r1\"><query xmlns=\"jabber:iq:roster\">"
                + "<item jid=\"romeo@tongyou.im\"/><x xmlns=\"jabber:client\"/><bare xmlns=\"\"/></query></iq>");
    }

    @Test
    void streamPrefixedElementsUseTheHeaderBinding() {
        StreamError error = new StreamError(StreamError.Condition.not_well_formed, "bad", "en");
        assertThat(encode(error.getElement())).isEqualTo("<stream:error>"
                + "<not-well-formed xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/>"
                + "<text xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\" xml:lang=\"en\">bad</text></stream:error>");

        Element features = DocumentHelper.createElement(QName.get("features", Namespace.get("stream", STREAMS)));
        features.addElement(QName.get("mechanisms", "urn:ietf:params:xml:ns:xmpp-sasl"))
                .addElement("mechanism").setText("SCRAM-SHA-256");
        assertThat(encode(features)).isEqualTo("<stream:features><mechanisms xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\">"
                + "<mechanism>SCRAM-SHA-256</mechanism></mechanisms></stream:features>");
        assertThat(encode(new StanzaEncoder("jabber:client", Map.of()), features))
                .startsWith("<stream:features xmlns:stream=\"http://etherx.jabber.org/streams\">");
    }

    @Test
    void otherPrefixesAreDeclaredOnceWhereFirstUsed() {
        Element iq = element("iq", "jabber:client");
        Namespace geo = Namespace.get("geo", "http://jabber.org/protocol/geoloc");
        Element item = iq.addElement(QName.get("item", "http://jabber.org/protocol/pubsub"));
        Element geoloc = item.addElement(QName.get("geoloc", geo));
        geoloc.addAttribute(QName.get("accuracy", geo), "20");
        geoloc.addElement(QName.get("lat", geo)).setText("45.44");
        item.addAttribute(QName.get("stamp", Namespace.get("t", "urn:time")), "now");
        assertThat(encode(iq)).isEqualTo("<iq><item xmlns=\"http://jabber.org/protocol/pubsub\" xmlns:t=\"urn:time\""
                + " t:stamp=\"now\"><geo:geoloc xmlns:geo=\"http://jabber.org/protocol/geoloc\" geo:accuracy=\"20\">"
                + "<geo:lat>45.44</geo:lat></geo:geoloc></item></iq>");
    }

    @Test
    void namespaceNodesAreWrittenOnlyWhenNotInScope() {
        Element message = element("message", "jabber:client");
        message.add(Namespace.get("", "jabber:client"));
        message.add(Namespace.get("stream", STREAMS));
        message.add(Namespace.get("x", "urn:x"));
        message.addElement("body").add(Namespace.get("x", "urn:x"));
        assertThat(encode(message)).isEqualTo("<message xmlns:x=\"urn:x\"><body/></message>");
    }

    @Test
    void writesEmptyElementsShortAndLeavesOutCommentsAndInstructions() {
        Element message = element("message", "jabber:client");
        message.addElement("a");
        message.addElement("b").addComment("not sent");
        message.addElement("c").addProcessingInstruction("pi", "not sent");
        message.addElement("d").addText("");
        message.addElement("e").addCDATA("<raw> & ]]>");
        assertThat(encode(message)).isEqualTo("<message><a/><b/><c/><d/><e>&lt;raw&gt; &amp; ]]&gt;</e></message>");
    }

    @Test
    void aDeclarationDisguisedAsAnAttributeIsDropped() {
        Element message = element("message", "jabber:client");
        message.addAttribute("xmlns", "urn:evil");
        message.addAttribute("xmlns:evil", "urn:evil");
        message.addAttribute("id", "1");
        assertThat(encode(message)).isEqualTo("<message id=\"1\"/>");
    }

    @Test
    void writesCharSequencesAsTheyAre() {
        assertThat(encode(SERVER_HEADER)).isEqualTo(SERVER_HEADER);
        assertThat(encode(new StringBuilder("</stream:stream>"))).isEqualTo("</stream:stream>");
    }

    @Test
    void otherMessagesPassThrough() {
        EmbeddedChannel channel = new EmbeddedChannel(new StanzaEncoder());
        ByteBuf raw = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        channel.writeOutbound(raw);
        Object out = channel.readOutbound();
        assertThat(out).isSameAs(raw);
        raw.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void whatTheEncoderWritesDecodesToTheSameElements() throws Exception {
        List<Object> received = decode(utf8(XmppStreamDecoderTest.STREAM));
        Element tricky = element("message", "jabber:client");
        tricky.addAttribute("id", "tab\tnew\nline\rcr \"q\" <&>");
        tricky.addElement("body").setText("line1\r\nline2\rline3\ttab <&> 😀 中文");
        tricky.addElement(QName.get("x", Namespace.get("p", "urn:p"))).addAttribute(QName.get("a", Namespace.get("p", "urn:p")), "v");
        tricky.addElement(QName.get("y", "urn:y")).addElement("z");

        StringBuilder stream = new StringBuilder(SERVER_HEADER);
        List<Element> sent = new java.util.ArrayList<>();
        for (Object event : received) {
            if (event instanceof Element element) {
                sent.add(element);
            }
        }
        sent.add(tricky);
        for (Element element : sent) {
            String xml = encode(element);
            stream.append(xml);
            // what goes out is namespace-well-formed with the header's bindings alone
            parseIndependently("<stream:stream xmlns='jabber:client' xmlns:stream='" + STREAMS + "'>" + xml
                    + "</stream:stream>");
        }
        stream.append("</stream:stream>");

        List<Object> decoded = decode(utf8(stream.toString()));
        assertThat(decoded).hasSize(sent.size() + 2);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(describe(decoded.get(i + 1))).isEqualTo(describe(sent.get(i)));
        }
    }
}
