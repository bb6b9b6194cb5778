package im.tongyou.server.feature.caps;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.server.feature.StoredXml;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The verification string of XEP-0115 §5, checked with the examples of §5.2 and §5.3. */
class CapsVerTest {

    /** XEP-0115 §5.2, Simple Generation Example. */
    static final String SIMPLE = """
            <query xmlns='http://jabber.org/protocol/disco#info'
                   node='http://code.google.com/p/exodus#QgayPKawpkPSDYmwT/WM94uAlu0='>
              <identity category='client' name='Exodus 0.9.1' type='pc'/>
              <feature var='http://jabber.org/protocol/caps'/>
              <feature var='http://jabber.org/protocol/disco#info'/>
              <feature var='http://jabber.org/protocol/disco#items'/>
              <feature var='http://jabber.org/protocol/muc'/>
            </query>""";

    /** XEP-0115 §5.3, Complex Generation Example (elements deliberately out of order). */
    static final String COMPLEX = """
            <query xmlns='http://jabber.org/protocol/disco#info'
                   node='http://psi-im.org#q07IKJEyjvHSyhy//CH0CxmKi8w='>
              <identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>
              <identity xml:lang='el' category='client' name='Ψ 0.11' type='pc'/>
              <feature var='http://jabber.org/protocol/disco#items'/>
              <feature var='http://jabber.org/protocol/caps'/>
              <feature var='http://jabber.org/protocol/muc'/>
              <feature var='http://jabber.org/protocol/disco#info'/>
              <x xmlns='jabber:x:data' type='result'>
                <field var='FORM_TYPE' type='hidden'>
                  <value>urn:xmpp:dataforms:softwareinfo</value>
                </field>
                <field var='ip_version' type='text-multi'>
                  <value>ipv6</value>
                  <value>ipv4</value>
                </field>
                <field var='os'>
                  <value>Mac</value>
                </field>
                <field var='os_version'>
                  <value>10.5.1</value>
                </field>
                <field var='software'>
                  <value>Psi</value>
                </field>
                <field var='software_version'>
                  <value>0.11</value>
                </field>
              </x>
            </query>""";

    static CapsVer.Info read(String xml) {
        return CapsVer.read(StoredXml.parse(xml)).orElseThrow();
    }

    static Optional<CapsVer.Info> tryRead(String xml) {
        return CapsVer.read(StoredXml.parse(xml));
    }

    @Test
    void theSimpleExampleOfSection52() {
        CapsVer.Info info = read(SIMPLE);

        assertThat(CapsVer.input(info)).isEqualTo("client/pc//Exodus 0.9.1<http://jabber.org/protocol/caps<"
                + "http://jabber.org/protocol/disco#info<http://jabber.org/protocol/disco#items<"
                + "http://jabber.org/protocol/muc<");
        assertThat(CapsVer.ver(info, "sha-1")).isEqualTo("QgayPKawpkPSDYmwT/WM94uAlu0=");
    }

    @Test
    void theComplexExampleOfSection53() {
        CapsVer.Info info = read(COMPLEX);

        assertThat(CapsVer.input(info)).isEqualTo("client/pc/el/Ψ 0.11<client/pc/en/Psi 0.11<"
                + "http://jabber.org/protocol/caps<http://jabber.org/protocol/disco#info<"
                + "http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<"
                + "urn:xmpp:dataforms:softwareinfo<ip_version<ipv4<ipv6<os<Mac<os_version<10.5.1<"
                + "software<Psi<software_version<0.11<");
        assertThat(CapsVer.ver(info, "sha-1")).isEqualTo("q07IKJEyjvHSyhy//CH0CxmKi8w=");
    }

    @Test
    void otherHashFunctionsOfTheIanaRegistry() {
        assertThat(CapsVer.supported("sha-256")).isTrue();
        assertThat(CapsVer.supported("md5")).isFalse();
        assertThat(CapsVer.supported(null)).isFalse();
        // SHA-256 of the §5.2 string S, in Base64.
        assertThat(CapsVer.ver(read(SIMPLE), "sha-256")).hasSize(44).isNotEqualTo(CapsVer.ver(read(SIMPLE), "sha-1"));
    }

    @Test
    void duplicatesMakeAResponseIllFormed() {
        assertThat(tryRead("<query xmlns='http://jabber.org/protocol/disco#info'>"
                + "<identity category='client' type='pc' name='A'/><identity category='client' type='pc' name='A'/>"
                + "</query>")).isEmpty();
        assertThat(tryRead("<query xmlns='http://jabber.org/protocol/disco#info'>"
                + "<feature var='urn:a'/><feature var='urn:a'/></query>")).isEmpty();
        String form = "<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'>"
                + "<value>urn:f</value></field></x>";
        assertThat(tryRead("<query xmlns='http://jabber.org/protocol/disco#info'>" + form + form + "</query>")).isEmpty();
        assertThat(tryRead("<query xmlns='http://jabber.org/protocol/disco#info'><x xmlns='jabber:x:data' type='result'>"
                + "<field var='FORM_TYPE' type='hidden'><value>urn:f</value><value>urn:g</value></field></x></query>"))
                .isEmpty();
    }

    @Test
    void aFormWhoseFormTypeIsNotHiddenIsIgnored() {
        CapsVer.Info info = read("<query xmlns='http://jabber.org/protocol/disco#info'><feature var='urn:a'/>"
                + "<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE'><value>urn:f</value></field>"
                + "<field var='x'><value>y</value></field></x></query>");

        assertThat(CapsVer.input(info)).isEqualTo("urn:a<");
    }

    @Test
    void stringsSortByTheirUtf8Bytes() {
        // String.compareTo (UTF-16 code units) puts U+1F600 (D83D DE00) before U+FB01; the "i;octet"
        // order of UTF-8 bytes puts U+FB01 (EF AC 81) before U+1F600 (F0 9F 98 80).
        CapsVer.Info info = read("<query xmlns='http://jabber.org/protocol/disco#info'>"
                + "<feature var='urn:\uD83D\uDE00'/><feature var='urn:\uFB01'/></query>");

        assertThat(CapsVer.input(info)).isEqualTo("urn:\uFB01<urn:\uD83D\uDE00<");
    }
}
