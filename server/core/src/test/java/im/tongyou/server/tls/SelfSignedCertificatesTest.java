package im.tongyou.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificatesTest {

    private static final List<String> BOTH = List.of("TLSv1.3", "TLSv1.2");

    @TempDir
    Path dataDir;

    @Test
    void theFirstStartGeneratesFilesAndTheNextReusesThem() throws Exception {
        ServerTlsContext first = TlsContextFactory.create(null, null, BOTH, dataDir, "xmpp.example");

        assertThat(first.source()).isEqualTo(CertificateSource.SELF_SIGNED_GENERATED);
        assertThat(dataDir.resolve("tls/xmpp.example.crt")).isRegularFile();
        assertThat(dataDir.resolve("tls/xmpp.example.key")).isRegularFile();

        ServerTlsContext second = TlsContextFactory.create(null, null, BOTH, dataDir, "xmpp.example");

        assertThat(second.source()).isEqualTo(CertificateSource.SELF_SIGNED_REUSED);
        assertThat(second.certificate().getSerialNumber()).isEqualTo(first.certificate().getSerialNumber());
        assertThat(second.certificate()).isEqualTo(first.certificate());
    }

    @Test
    void aNewDomainGetsItsOwnCertificate() throws Exception {
        X509Certificate old = TlsContextFactory.create(null, null, BOTH, dataDir, "xmpp.example").certificate();

        ServerTlsContext renamed = TlsContextFactory.create(null, null, BOTH, dataDir, "chat.example");

        assertThat(renamed.source()).isEqualTo(CertificateSource.SELF_SIGNED_GENERATED);
        assertThat(renamed.certificate().getSerialNumber()).isNotEqualTo(old.getSerialNumber());
        assertThat(renamed.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=chat.example");
        assertThat(dataDir.resolve("tls/chat.example.crt")).isRegularFile();
    }

    @Test
    void aMissingFileMeansANewCertificate() throws Exception {
        X509Certificate old = TlsContextFactory.create(null, null, BOTH, dataDir, "xmpp.example").certificate();
        Files.delete(dataDir.resolve("tls/xmpp.example.key"));

        ServerTlsContext again = TlsContextFactory.create(null, null, BOTH, dataDir, "xmpp.example");

        assertThat(again.source()).isEqualTo(CertificateSource.SELF_SIGNED_GENERATED);
        assertThat(again.certificate().getSerialNumber()).isNotEqualTo(old.getSerialNumber());
    }

    @Test
    void theCertificateNamesTheDomainAsDnsNameAndXmppAddr() throws Exception {
        X509Certificate certificate = SelfSignedCertificates.generate("Bücher.example").leaf();

        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getSerialNumber().signum()).isPositive();
        assertThat(Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()))
                .isGreaterThan(Duration.ofDays(3649));
        GeneralNames names = GeneralNames.fromExtensions(new JcaX509CertificateHolder(certificate).getExtensions(),
                Extension.subjectAlternativeName);
        assertThat(names.getNames()).hasSize(2);
        assertThat(names.getNames()[0].getTagNo()).isEqualTo(GeneralName.dNSName);
        assertThat(names.getNames()[0].getName().toString()).isEqualTo("xn--bcher-kva.example");
        OtherName xmppAddr = OtherName.getInstance(names.getNames()[1].getName());
        assertThat(xmppAddr.getTypeID().getId()).isEqualTo(SelfSignedCertificates.ID_ON_XMPP_ADDR);
        ASN1Primitive value = xmppAddr.getValue().toASN1Primitive();
        String domain = value instanceof ASN1TaggedObject tagged
                ? DERUTF8String.getInstance(tagged.getBaseObject()).getString()
                : DERUTF8String.getInstance(value).getString();
        assertThat(domain).isEqualTo("Bücher.example");
    }

    @Test
    void domainsThatCouldEscapeTheDirectoryAreRefused() {
        for (String bad : new String[] {"../evil", "a/b", "..", "[::1]", ""}) {
            assertThatThrownBy(() -> TlsContextFactory.create(null, null, BOTH, dataDir, bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
