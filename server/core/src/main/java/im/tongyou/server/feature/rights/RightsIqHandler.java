package im.tongyou.server.feature.rights;

import im.tongyou.api.PluginContext;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.privacy.AuditLog;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.dom4j.Element;
import org.xmpp.packet.IQ;

/**
 * The in-band rights requests of {@code urn:tongyou:rights:0} ({@code xeps/tongyou-rights.md} §3,
 * §4): an export request answered at once with an expiring download link, and the list of one's
 * own requests with their received / verified / responded times and deadlines (privacy
 * requirements AC-16, AC-26).
 */
final class RightsIqHandler {

    static final String NS = "urn:tongyou:rights:0";
    /** The policy's promise for answering a request: at most 7 calendar days (and 5 working days). */
    static final Duration DEADLINE = Duration.ofDays(7);

    private final PluginContext ctx;
    private final RightsStore store;
    private final RightsPlugin.Options options;
    private final SecureRandom random = new SecureRandom();

    RightsIqHandler(PluginContext ctx, RightsStore store, RightsPlugin.Options options) {
        this.ctx = ctx;
        this.store = store;
        this.options = options;
    }

    /** §3: the requester is the authenticated owner of the account, so identity is verified on receipt. */
    IQ export(IQ request) throws StanzaErrorException {
        String username = request.getFrom().getNode();
        Instant now = ctx.clock().instant();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        RightsStore.Request r = new RightsStore.Request(UUID.randomUUID().toString(), username, "export", now, now, now,
                now.plus(DEADLINE), now.plus(Duration.ofHours(options.linkHours())), 0);
        store.insert(r, tokenHash(token));
        ctx.audit().append(AuditLog.SELF, "rights.export.requested", username, Map.of("request", r.id(),
                "channel", "xmpp", "expires", r.expiresAt().toString()));
        IQ result = IQ.createResultIQ(request);
        Element export = result.setChildElement("export", NS);
        export.add(requestElement(r));
        export.addElement("archive").addAttribute("url", ctx.httpsUrl() + RightsHttp.PREFIX + token)
                .addAttribute("expires", r.expiresAt().toString())
                .addAttribute("type", "application/zip");
        return result;
    }

    /** §4: one's own requests, oldest first. */
    IQ requests(IQ request) {
        IQ result = IQ.createResultIQ(request);
        Element list = result.setChildElement("requests", NS);
        store.ofUser(request.getFrom().getNode()).forEach(r -> list.add(requestElement(r)));
        return result;
    }

    static Element requestElement(RightsStore.Request r) {
        Element e = org.dom4j.DocumentHelper.createElement(org.dom4j.QName.get("request", NS));
        e.addAttribute("id", r.id()).addAttribute("kind", r.kind())
                .addAttribute("received", r.receivedAt().toString())
                .addAttribute("verified", r.verifiedAt() == null ? null : r.verifiedAt().toString())
                .addAttribute("responded", r.respondedAt() == null ? null : r.respondedAt().toString())
                .addAttribute("deadline", r.deadline().toString());
        if (r.expiresAt() != null) {
            e.addAttribute("downloads", Integer.toString(r.downloads()));
        }
        return e;
    }

    static String tokenHash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
