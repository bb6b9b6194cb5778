/**
 * The server's TLS context (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-5">RFC 6120 §5</a>,
 * <a href="https://xmpp.org/extensions/xep-0368.html">XEP-0368</a>): configured PEM files or a
 * self-signed certificate generated on first start, TLS 1.2 and 1.3 only.
 */
package im.tongyou.server.tls;
