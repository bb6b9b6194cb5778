package im.tongyou.server.xml;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.feature.StoredXml;
import java.nio.charset.StandardCharsets;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.Message;

/** Stored XML is standalone: read back alone, it is the element that was written. */
class XmlBytesTest {

    @Test
    void anElementIsWrittenWithEveryNamespaceItUsesAndReadsBackTheSame() throws Exception {
        Element message = DocumentHelper.parseText("<message xmlns='jabber:client' to='juliet@example.com/balcony'"
                + " type='chat' xml:lang='en'><body>a &amp; b &lt; c &gt; d \"e\" 🌙 月</body>"
                + "<active xmlns='http://jabber.org/protocol/chatstates'/>"
                + "<x:data xmlns:x='urn:example:x' x:kind='note'>text</x:data></message>").getRootElement();
        byte[] bytes = XmlBytes.of(message);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).startsWith("<message xmlns=\"jabber:client\"");
        Element read = StoredXml.parse(bytes);
        assertThat(read.getNamespaceURI()).isEqualTo("jabber:client");
        assertThat(read.element("active").getNamespaceURI()).isEqualTo("http://jabber.org/protocol/chatstates");
        assertThat(read.asXML()).isEqualTo(message.asXML());
        assertThat(StoredXml.toText(read)).isEqualTo(text);
    }

    @Test
    void aStanzaBuiltWithoutNamespaceStaysWithoutOneAndCharactersXmlForbidsAreDropped() {
        Message built = new Message();
        built.setTo("juliet@example.com");
        built.setBody("ok\u0001\uFFFEdone");
        Element read = StoredXml.parse(XmlBytes.of(built.getElement()));
        assertThat(read.getNamespaceURI()).isEmpty();
        assertThat(read.elementText("body")).isEqualTo("okdone");
    }

    @Test
    void aLargeElementIsWrittenWholeAndTheNextOneAfterItToo() {
        Message large = new Message();
        large.setBody("x".repeat(200_000));
        assertThat(StoredXml.parse(XmlBytes.of(large.getElement())).elementText("body")).hasSize(200_000);
        Message small = new Message();
        small.setBody("small");
        assertThat(new String(XmlBytes.of(small.getElement()), StandardCharsets.UTF_8))
                .isEqualTo("<message><body>small</body></message>");
    }
}
