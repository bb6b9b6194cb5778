package im.tongyou.server.tls;

import java.io.ByteArrayOutputStream;

/** A minimal TLS 1.1 ClientHello (RFC 4346 §7.4.1.2), with no extensions, built byte by byte. */
final class Tls11ClientHello {

    private Tls11ClientHello() {
    }

    static byte[] bytes() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(3);                 // client_version 3.2 = TLS 1.1
        body.write(2);
        body.writeBytes(new byte[32]); // random
        body.write(0);                 // session_id: empty
        byte[] suites = {(byte) 0xC0, 0x09, (byte) 0xC0, 0x13, 0x00, 0x2F}; // ECDHE-ECDSA/RSA/RSA AES-128-CBC-SHA
        body.write(0);
        body.write(suites.length);
        body.writeBytes(suites);
        body.write(1);                 // compression_methods: null only
        body.write(0);
        byte[] hello = body.toByteArray();

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        int handshakeLength = hello.length + 4;
        record.writeBytes(new byte[] {22, 3, 1, (byte) (handshakeLength >> 8), (byte) handshakeLength});
        record.writeBytes(new byte[] {1, 0, (byte) (hello.length >> 8), (byte) hello.length});
        record.writeBytes(hello);
        return record.toByteArray();
    }
}
