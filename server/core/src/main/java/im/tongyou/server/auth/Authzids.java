package im.tongyou.server.auth;

/**
 * Decides whether an authorization identity may be used with an authenticated user
 * (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-6.3.8">RFC 6120 §6.3.8</a>): we do not
 * support acting on behalf of another entity, so the authzid must name the user itself.
 */
final class Authzids {

    private Authzids() {
    }

    /**
     * True if {@code authzid} is absent or empty, equals the authcid, or is the user's bare JID
     * {@code authcid@domain}. RFC 6120 §6.3.8 says a client that does not act for someone else
     * "MUST NOT provide an authorization identity", but many clients send their own bare JID
     * anyway, so we accept it. The domain is compared case-insensitively; it may be {@code null},
     * and then only the plain user name is accepted.
     */
    static boolean permits(String authzid, String authcid, String domain) {
        if (authzid == null || authzid.isEmpty() || authzid.equals(authcid)) {
            return true;
        }
        int at = authzid.lastIndexOf('@');
        return domain != null && at > 0
                && authzid.substring(0, at).equals(authcid)
                && authzid.substring(at + 1).equalsIgnoreCase(domain);
    }
}
