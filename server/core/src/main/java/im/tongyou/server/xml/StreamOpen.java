package im.tongyou.server.xml;

/**
 * The opening stream header {@code <stream:stream>} as received (RFC 6120 §4.2, §4.7), emitted
 * by {@link XmppStreamDecoder} without judging its values.
 *
 * <p>The decoder only guarantees that the root element is {@code stream} qualified by the
 * stream namespace; everything else (the content namespace, {@code to}, {@code version}, the
 * absence of {@code id} on an initial stream, ...) is for the stream negotiator to check.
 *
 * @param namespace        the namespace URI of the root element, always {@link #STREAM_NAMESPACE}
 * @param defaultNamespace the default namespace declared on the header (the content namespace,
 *                         {@code jabber:client} for c2s, RFC 6120 §4.8.2), or {@code null} when
 *                         none is declared (an empty {@code xmlns=''} counts as none)
 * @param to               the {@code to} attribute, or {@code null} when absent
 * @param from             the {@code from} attribute, or {@code null} when absent
 * @param version          the {@code version} attribute, or {@code null} when absent
 * @param id               the {@code id} attribute, or {@code null} when absent
 * @param lang             the {@code xml:lang} attribute, or {@code null} when absent
 */
public record StreamOpen(
        String namespace,
        String defaultNamespace,
        String to,
        String from,
        String version,
        String id,
        String lang) {

    /** The stream namespace of RFC 6120 §4.8.1. */
    public static final String STREAM_NAMESPACE = "http://etherx.jabber.org/streams";
}
