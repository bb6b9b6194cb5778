package im.tongyou.server.xml;

/**
 * The closing stream tag {@code </stream:stream>} (RFC 6120 §4.4), emitted once by
 * {@link XmppStreamDecoder}; the decoder discards every byte that follows it.
 */
public enum StreamClose {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
        return "</stream:stream>";
    }
}
