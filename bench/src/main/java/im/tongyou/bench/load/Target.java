package im.tongyou.bench.load;

import java.net.InetAddress;
import java.util.List;

/**
 * The server under test and how to reach it: loopback only (the generator refuses anything else),
 * STARTTLS or plaintext, SCRAM-SHA-1 or PLAIN, the generator's TLS implementation (OpenSSL when
 * {@code openSsl} and it loads, else the JDK's), and the source addresses connections are spread over.
 */
record Target(String host, int port, String domain, String prefix, String password, boolean tls, boolean plain,
        boolean openSsl, List<InetAddress> sources) {

    String user(int i) {
        return prefix + i;
    }
}
