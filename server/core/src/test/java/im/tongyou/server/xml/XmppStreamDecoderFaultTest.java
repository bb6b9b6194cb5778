package im.tongyou.server.xml;

import static im.tongyou.server.xml.Decoding.bytewise;
import static im.tongyou.server.xml.Decoding.decode;
import static im.tongyou.server.xml.Decoding.feed;
import static im.tongyou.server.xml.Decoding.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xmpp.packet.StreamError.Condition;

class XmppStreamDecoderFaultTest {

    static final String HEADER = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
            + " to='tongyou.im' version='1.0'>";
    static final String FOLLOWING = "<message><body>after</body></message>";

    /** Decodes in one piece and one byte at a time; both must end with the same single fault. */
    static StreamFault faultOf(String input) {
        return faultOf(utf8(input));
    }

    static StreamFault faultOf(byte[] input) {
        StreamFault whole = lastFault(decode(input));
        StreamFault bytewise = lastFault(decode(bytewise(input)));
        assertThat(bytewise.condition()).as("fed one byte at a time").isEqualTo(whole.condition());
        return whole;
    }

    private static StreamFault lastFault(List<Object> events) {
        assertThat(events).isNotEmpty();
        assertThat(events.subList(0, events.size() - 1)).noneMatch(StreamFault.class::isInstance);
        assertThat(events.get(events.size() - 1)).isInstanceOf(StreamFault.class);
        return (StreamFault) events.get(events.size() - 1);
    }

    // ---- restricted XML (RFC 6120 §11.1) ----

    @ParameterizedTest
    @ValueSource(strings = {
        HEADER + "<!-- a comment -->" + FOLLOWING,
        HEADER + "<message><!-- in a stanza --></message>",
        "<!-- before the header -->" + HEADER,
        "<?xml version='1.0'?><!-- after the declaration -->" + HEADER,
        HEADER + "<?php echo 1; ?>" + FOLLOWING,
        HEADER + "<message><?pi data?></message>",
        "<?xml-stylesheet href='x'?>" + HEADER,
        "<!DOCTYPE stream>" + HEADER,
        "<?xml version='1.0'?><!DOCTYPE stream SYSTEM 'http://example.com/evil.dtd'>" + HEADER,
        "<!DOCTYPE stream [<!ENTITY x 'y'>]>" + HEADER + "<message><body>&x;</body></message>",
        "<!DOCTYPE stream SYSTEM 'x' [<!ENTITY x 'y'>]>" + HEADER,
        HEADER + "<message><body>a&foo;b</body></message>",
        HEADER + "<message to='&foo;'/>",
        HEADER + "<message xmlns:x='&foo;'/>",
    })
    void restrictedXmlIsAFault(String input) {
        assertThat(faultOf(input).condition()).isEqualTo(Condition.restricted_xml);
    }

    @Test
    void aBillionLaughsIsRejectedBeforeAnyExpansion() {
        StringBuilder doctype = new StringBuilder("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>");
        doctype.append("<!ENTITY lol1 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>");
        for (int i = 2; i <= 9; i++) {
            doctype.append("<!ENTITY lol").append(i).append(" '").append(("&lol" + (i - 1) + ";").repeat(10)).append("'>");
        }
        doctype.append("]>");
        String input = doctype + HEADER + "<message><body>&lol9;</body></message>";
        StreamFault fault = faultOf(input);
        assertThat(fault.condition()).isEqualTo(Condition.restricted_xml);

        List<Object> events = decode(utf8(input));
        assertThat(events).containsExactly(fault);     // not even the header got through
    }

    @Test
    void nothingIsEmittedAfterAFaultEvenInLaterChunks() {
        EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(Decoding.MAX_BYTES, Decoding.MAX_DEPTH));
        List<Object> events = feed(channel, utf8(HEADER + "<presence/><!-- x -->" + FOLLOWING), utf8(FOLLOWING),
                utf8("</stream:stream>"));
        assertThat(events).hasSize(3);
        assertThat(events.get(1)).isInstanceOf(Element.class);
        assertThat(((StreamFault) events.get(2)).condition()).isEqualTo(Condition.restricted_xml);
        channel.finishAndReleaseAll();
    }

    // ---- not well-formed, encodings ----

    @ParameterizedTest
    @ValueSource(strings = {
        HEADER + "<message><body>x</message>",
        HEADER + "<x:message/>",
        HEADER + "<message a='1' a='2'/>",
        HEADER + "<message><body>\u0001</body></message>",
        // found by fuzzing: aalto reports a NUL in text only when the text is read, unchecked
        HEADER + "<message><body>\u0000</body></message>",
        HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AHJvbWVv\u0000</auth>",
        // found by fuzzing: an error in the XML declaration, before a comment, is not restricted XML
        "<?xml versorg/streams'ion='1.0'?><!-- later -->" + HEADER,
        // found by fuzzing in CI: aalto throws a plain RuntimeException on the reserved prefix xmlns
        HEADER + "<a><xmlns:stream='x'/></a>",
        HEADER + "<message><xmlns:body/></message>",
        HEADER + "<message><body>&#0;</body></message>",
        HEADER + "<message><body>&#xD800;</body></message>",
        HEADER + "<?xml version='1.0'?>",
        HEADER + "<message id=unquoted/>",
        "GET / HTTP/1.1\r\nHost: tongyou.im\r\n\r\n",
        "\uFEFF" + HEADER,
        "hello" + HEADER,
    })
    void malformedXmlIsNotWellFormed(String input) {
        assertThat(faultOf(input).condition()).isEqualTo(Condition.not_well_formed);
    }

    @Test
    void binaryGarbageIsNotWellFormed() {
        // the start of a TLS ClientHello, as sent by a client that skipped STARTTLS
        byte[] hello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
        assertThat(faultOf(hello).condition()).isEqualTo(Condition.not_well_formed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ff", "c0af", "c1bf", "80", "eda080", "edbfbf", "e08080", "f08f8080", "f4908080",
        "f5808080", "e4b8", "e4b83c", "f09f98", "fe", "c3"})
    void bytesThatAreNotUtf8AreNotWellFormed(String hex) {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes(utf8(HEADER + "<presence/><message><body>"));
        input.writeBytes(java.util.HexFormat.of().parseHex(hex));
        input.writeBytes(utf8("</body></message>"));
        List<Object> events = decode(input.toByteArray());
        assertThat(events).hasSize(3);      // what came before the bad bytes still goes through
        assertThat(((Element) events.get(1)).getName()).isEqualTo("presence");
        assertThat(((StreamFault) events.get(2)).condition()).isEqualTo(Condition.not_well_formed);
        assertThat(faultOf(input.toByteArray()).condition()).isEqualTo(Condition.not_well_formed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ISO-8859-1", "UTF-16", "US-ASCII", "bogus"})
    void aDeclaredEncodingOtherThanUtf8IsUnsupported(String encoding) {
        assertThat(faultOf("<?xml version='1.0' encoding='" + encoding + "'?>" + HEADER).condition())
                .isEqualTo(Condition.unsupported_encoding);
    }

    @Test
    void utf8InAnyCaseIsAccepted() {
        assertThat(decode(utf8("<?xml version='1.0' encoding='utf-8'?>" + HEADER)).get(0)).isInstanceOf(StreamOpen.class);
    }

    // ---- the stream element ----

    @ParameterizedTest
    @ValueSource(strings = {
        "<stream:stream xmlns:stream='http://etherx.jabber.org/streams/'>",
        "<stream:stream xmlns:stream='jabber:client'>",
        "<stream xmlns='jabber:client'>",
        "<html><body>",
    })
    void aRootOutsideTheStreamNamespaceIsAnInvalidNamespace(String header) {
        StreamFault fault = faultOf(header + FOLLOWING);
        assertThat(fault.condition()).isEqualTo(Condition.invalid_namespace);
        assertThat(fault.text()).startsWith(
                "the stream header must be qualified by http://etherx.jabber.org/streams (RFC 6120 §4.8.1); got <");
    }

    /** Found by fuzzing: "xmlns:" with nothing after the colon was taken as a second default namespace. */
    @Test
    void aNamespaceDeclarationWithoutAPrefixIsNotWellFormed() {
        assertThat(faultOf(HEADER + "<inactive xmlns:='urn:xmpp:csi:0'/>").condition())
                .isEqualTo(Condition.not_well_formed);
        assertThat(faultOf(HEADER + "<message><x:y xmlns:x='urn:x' xmlns:='urn:y'><z/></x:y></message>").condition())
                .isEqualTo(Condition.not_well_formed);
        assertThat(faultOf("<stream:stream xmlns:='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " to='tongyou.test' version='1.0'><presence/>").condition()).isEqualTo(Condition.not_well_formed);
    }

    @Test
    void theInvalidNamespaceErrorNamesWhatCame() {
        assertThat(faultOf("<presence xmlns='jabber:client'/>").text())
                .endsWith("got <presence> in 'jabber:client'");
    }

    @Test
    void aRootInTheStreamNamespaceWithAnotherNameIsBadFormat() {
        assertThat(faultOf("<stream:features xmlns:stream='http://etherx.jabber.org/streams'>").condition())
                .isEqualTo(Condition.bad_format);
    }

    @Test
    void characterDataBetweenStanzasIsBadFormat() {
        List<Object> events = decode(utf8(HEADER + "<presence/> \n hello"), utf8(FOLLOWING));
        assertThat(events).hasSize(3);
        assertThat(((StreamFault) events.get(2)).condition()).isEqualTo(Condition.bad_format);
        assertThat(faultOf(HEADER + "  x").condition()).isEqualTo(Condition.bad_format);
    }

    @Test
    void aSecondHeaderWithoutRestartIsBadFormat() {
        assertThat(faultOf(HEADER + "<presence/>" + HEADER).condition()).isEqualTo(Condition.bad_format);
    }

    @Test
    void everythingAfterTheCloseTagIsDiscarded() {
        EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(Decoding.MAX_BYTES, Decoding.MAX_DEPTH));
        List<Object> events = feed(channel, utf8(HEADER + "</stream:stream><stream:stream>"), utf8(FOLLOWING),
                utf8("<!-- -->\u0001"));
        assertThat(events).hasSize(2);
        assertThat(events.get(1)).isSameAs(StreamClose.INSTANCE);
        channel.finishAndReleaseAll();
    }
}
