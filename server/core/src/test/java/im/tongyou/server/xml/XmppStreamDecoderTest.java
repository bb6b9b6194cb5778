package im.tongyou.server.xml;

import static im.tongyou.server.xml.Decoding.bytewise;
import static im.tongyou.server.xml.Decoding.decode;
import static im.tongyou.server.xml.Decoding.describe;
import static im.tongyou.server.xml.Decoding.describeNames;
import static im.tongyou.server.xml.Decoding.parseIndependently;
import static im.tongyou.server.xml.Decoding.split;
import static im.tongyou.server.xml.Decoding.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;

class XmppStreamDecoderTest {

    static final String HEADER = "<stream:stream to='tongyou.im' version='1.0' xml:lang='zh'"
            + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
            + " xmlns:geo='http://jabber.org/protocol/geoloc'>";

    static final String MESSAGE = "<message to='juliet@tongyou.im/balcony' type='chat' id='m1'>"
            + "<body>你好，朱丽叶！😀 &lt;3 &amp; &#x4E2D;&#x1F319;</body><thread>t1</thread></message>";

    static final String IQ = "<iq type='set' id='i1'>"
            + "<pubsub xmlns='http://jabber.org/protocol/pubsub'>"
            + "<publish node='http://jabber.org/protocol/geoloc'><item id='current'>"
            + "<geo:geoloc geo:accuracy='20'><geo:lat>45.44</geo:lat><geo:lon>12.33</geo:lon></geo:geoloc>"
            + "</item></publish></pubsub></iq>";

    static final String PRESENCE = "<presence><show>away</show><status>在开会 🌙</status>"
            + "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://tongyou.im' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/>"
            + "</presence>";

    static final String STREAM = "<?xml version='1.0' encoding='UTF-8'?>\n" + HEADER + "\n"
            + MESSAGE + " \n\t " + IQ + "\n" + PRESENCE + "  \n" + "</stream:stream>";

    @Test
    void decodesAWholeClientStream() {
        List<Object> events = decode(utf8(STREAM));

        assertThat(events).hasSize(5);
        assertThat(events.get(0)).isEqualTo(new StreamOpen(StreamOpen.STREAM_NAMESPACE, "jabber:client",
                "tongyou.im", null, "1.0", null, "zh"));
        assertThat(events.get(4)).isSameAs(StreamClose.INSTANCE);

        Element message = (Element) events.get(1);
        assertThat(message.getQName()).isEqualTo(QName.get("message", "jabber:client"));
        assertThat(message.attributeValue("to")).isEqualTo("juliet@tongyou.im/balcony");
        assertThat(message.element("body").getNamespaceURI()).isEqualTo("jabber:client");
        assertThat(message.elementText("body")).isEqualTo("你好，朱丽叶！😀 <3 & 中🌙");
        assertThat(message.getParent()).isNull();
        assertThat(message.getDocument()).isNull();

        Element iq = (Element) events.get(2);
        Element pubsub = iq.element("pubsub");
        assertThat(pubsub.getNamespaceURI()).isEqualTo("http://jabber.org/protocol/pubsub");
        Element geoloc = pubsub.element("publish").element("item").elements().get(0);
        assertThat(geoloc.getQName()).isEqualTo(QName.get("geoloc", "http://jabber.org/protocol/geoloc"));
        assertThat(geoloc.getNamespacePrefix()).isEqualTo("geo");
        assertThat(geoloc.attribute(QName.get("accuracy", "http://jabber.org/protocol/geoloc")).getValue())
                .isEqualTo("20");
        // the header's binding travels with the stanza, on its first-level element
        assertThat(iq.getNamespaceForPrefix("geo")).isEqualTo(Namespace.get("geo", "http://jabber.org/protocol/geoloc"));
        assertThat(iq.declaredNamespaces()).containsExactly(Namespace.get("geo", "http://jabber.org/protocol/geoloc"));

        Element presence = (Element) events.get(3);
        assertThat(presence.elementText("status")).isEqualTo("在开会 🌙");
        assertThat(presence.element("c").getNamespaceURI()).isEqualTo("http://jabber.org/protocol/caps");
    }

    @Test
    void stanzasSerializeToWellFormedXmlOnTheirOwn() throws Exception {
        List<Object> events = decode(utf8(STREAM));
        for (Object event : events.subList(1, 4)) {
            Element element = (Element) event;
            assertThat(describeNames(parseIndependently(element.asXML())))
                    .as("re-parsed %s", element.getName())
                    .isEqualTo(describeNames(element));
        }
    }

    @Test
    void everySplitIntoTwoChunksGivesTheSameEvents() {
        byte[] bytes = utf8(STREAM);
        String expected = describe(decode(bytes));
        for (int at = 1; at < bytes.length; at++) {
            assertThat(describe(decode(split(bytes, at)))).as("split at byte %d", at).isEqualTo(expected);
        }
    }

    @Test
    void oneByteAtATimeGivesTheSameEvents() {
        byte[] bytes = utf8(STREAM);
        assertThat(describe(decode(bytewise(bytes)))).isEqualTo(describe(decode(bytes)));
    }

    @Test
    void theStreamHeaderSplitAnywhereGivesTheSameStreamOpen() {
        byte[] bytes = utf8("<?xml version='1.0'?>" + HEADER);
        StreamOpen expected = new StreamOpen(StreamOpen.STREAM_NAMESPACE, "jabber:client", "tongyou.im", null,
                "1.0", null, "zh");
        for (int at = 1; at < bytes.length; at++) {
            assertThat(decode(split(bytes, at))).as("split at byte %d", at).containsExactly(expected);
        }
        assertThat(decode(bytewise(bytes))).containsExactly(expected);
    }

    @Test
    void readsEveryHeaderAttributeAndNothingElse() {
        List<Object> events = decode(utf8("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns='jabber:client' from='juliet@tongyou.im' to='tongyou.im' id='abc' version='1.0'"
                + " xml:lang='en' other='x'>"));
        assertThat(events).containsExactly(new StreamOpen(StreamOpen.STREAM_NAMESPACE, "jabber:client",
                "tongyou.im", "juliet@tongyou.im", "1.0", "abc", "en"));
    }

    @Test
    void aHeaderWithoutContentNamespaceOrAttributesIsReportedAsItIs() {
        List<Object> events = decode(utf8("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<iq type='get'/>"));
        assertThat(events.get(0)).isEqualTo(new StreamOpen(StreamOpen.STREAM_NAMESPACE, null, null, null, null,
                null, null));
        assertThat(((Element) events.get(1)).getQName()).isEqualTo(QName.get("iq", Namespace.NO_NAMESPACE));
    }

    @Test
    void prefixFreeCanonicalizationAndOtherPrefixesResolveToTheSameNames() {
        List<Object> events = decode(utf8("<s:stream xmlns:s='http://etherx.jabber.org/streams' xmlns:c='jabber:client'>"
                + "<message xmlns='jabber:client'><body>a</body></message>"
                + "<c:message><c:body>b</c:body></c:message></s:stream>"));
        Element first = (Element) events.get(1);
        Element second = (Element) events.get(2);
        assertThat(second.getQName()).isEqualTo(first.getQName());
        assertThat(second.element("body").getQName()).isEqualTo(first.element("body").getQName());
        assertThat(second.getNamespacePrefix()).isEqualTo("c");
        assertThat(second.declaredNamespaces()).isEmpty();      // its own name carries the binding
        assertThat(events.get(3)).isSameAs(StreamClose.INSTANCE);
    }

    @Test
    void aDefaultNamespaceFromTheHeaderIsDeclaredOnAPrefixedFirstLevelElement() throws Exception {
        List<Object> events = decode(utf8(HEADER + "<geo:geoloc><lat>1</lat></geo:geoloc>"));
        Element geoloc = (Element) events.get(1);
        assertThat(geoloc.element("lat").getNamespaceURI()).isEqualTo("jabber:client");
        assertThat(geoloc.declaredNamespaces()).containsExactly(Namespace.get("", "jabber:client"));
        Element reparsed = parseIndependently(geoloc.asXML());
        assertThat(reparsed.element(QName.get("lat", "jabber:client"))).isNotNull();
    }

    @Test
    void declarationsInsideAStanzaStayWhereTheyWereMade() throws Exception {
        List<Object> events = decode(utf8(HEADER + "<iq type='result'><query xmlns='jabber:iq:roster'"
                + " xmlns:x='urn:x'><item jid='a@b' x:flag='1'/><x:note/><plain xmlns=''/></query></iq>"));
        Element iq = (Element) events.get(1);
        Element query = iq.element("query");
        assertThat(iq.declaredNamespaces()).isEmpty();
        assertThat(query.declaredNamespaces()).containsExactly(Namespace.get("x", "urn:x"));
        assertThat(query.element("note").getNamespaceURI()).isEqualTo("urn:x");
        assertThat(query.element("plain").getNamespace()).isEqualTo(Namespace.NO_NAMESPACE);
        assertThat(describeNames(parseIndependently(iq.asXML()))).isEqualTo(describeNames(iq));
    }

    @Test
    void cdataAndReferencesJoinTheSurroundingTextInOneNode() {
        List<Object> events = decode(utf8(HEADER + "<message><body>a<![CDATA[<b>&]]>c&amp;d&#x4E2D;e</body></message>"));
        Element body = ((Element) events.get(1)).element("body");
        assertThat(body.content()).hasSize(1);
        assertThat(body.getText()).isEqualTo("a<b>&c&d中e");
    }

    @Test
    void predefinedEntitiesAndCharacterReferencesAreDecodedInAttributesToo() {
        List<Object> events = decode(utf8(HEADER
                + "<message id='&lt;&amp;&gt;&quot;&apos;&#x4E2D;&#20013;&#x1F600;'><body>&lt;&amp;&gt;&quot;&apos;</body></message>"));
        Element message = (Element) events.get(1);
        assertThat(message.attributeValue("id")).isEqualTo("<&>\"'中中😀");
        assertThat(message.elementText("body")).isEqualTo("<&>\"'");
    }

    @Test
    void lineEndsAreNormalizedAsXmlRequires() {
        List<Object> events = decode(utf8(HEADER + "<message><body>a\r\nb\rc</body></message>"));
        assertThat(((Element) events.get(1)).elementText("body")).isEqualTo("a\nb\nc");
    }

    @Test
    void whitespaceBetweenStanzasEmitsNothing() {
        List<Object> events = decode(utf8(HEADER + " "), utf8("\n"), utf8("\t \r\n"), utf8("<presence/>"), utf8("   "));
        assertThat(events).hasSize(2);
        assertThat(((Element) events.get(1)).getName()).isEqualTo("presence");
    }

    @Test
    void whitespaceKeepalivesNeverAddUpToTheStanzaLimit() {
        XmppStreamDecoder decoder = new XmppStreamDecoder(200, 4);
        byte[][] chunks = new byte[2003][];
        chunks[0] = utf8(HEADER);
        for (int i = 1; i <= 2000; i++) {
            chunks[i] = utf8(" ".repeat(150));
        }
        chunks[2001] = utf8(" ".repeat(5000));      // one run larger than the limit: still only whitespace
        chunks[2002] = utf8("<presence/>");
        List<Object> events = decode(decoder, chunks);
        assertThat(events).hasSize(2);
        assertThat(events.get(1)).isInstanceOf(Element.class);
    }

    @Test
    void nonBmpAndMultiByteNamesAreRead() {
        List<Object> events = decode(utf8(HEADER + "<message><x xmlns='urn:中文' 属性='值'><名字>𝄞</名字></x></message>"));
        Element x = ((Element) events.get(1)).element("x");
        assertThat(x.attributeValue("属性")).isEqualTo("值");
        assertThat(x.elementText("名字")).isEqualTo("𝄞");
    }

    @Test
    void nonByteBufMessagesPassThrough() {
        EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(100, 4));
        channel.writeInbound("not bytes");
        Object read = channel.readInbound();
        assertThat(read).isEqualTo("not bytes");
        channel.finishAndReleaseAll();
    }
}
