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
 * §4): an export request answered at once with an expiring download link, a correction, and the
 * list of one's own requests with their received / verified / responded times, deadlines and
 * outcomes (privacy requirements AC-16, AC-26).
 */
final class RightsIqHandler {

    static final String NS = "urn:tongyou:rights:0";

    private final PluginContext ctx;
    private final RightsStore store;
    private final RightsPlugin.Options options;
    private final RightsCorrections corrections;
    private final RightsCancellations cancellations;
    private final RightsDeadlines deadlines;
    private final SecureRandom random = new SecureRandom();

    RightsIqHandler(PluginContext ctx, RightsStore store, RightsPlugin.Options options, RightsCorrections corrections,
                    RightsCancellations cancellations, RightsDeadlines deadlines) {
        this.deadlines = deadlines;
        this.ctx = ctx;
        this.store = store;
        this.options = options;
        this.corrections = corrections;
        this.cancellations = cancellations;
    }

    /** §3: the requester is the authenticated owner of the account, so identity is verified on receipt. */
    IQ export(IQ request) throws StanzaErrorException {
        String username = request.getFrom().getNode();
        Instant now = ctx.clock().instant();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        RightsStore.Request r = new RightsStore.Request(UUID.randomUUID().toString(), username, "export", now, now, now,
                deadlines.deadline(now), now.plus(Duration.ofHours(options.linkHours())), 0, "done", null);
        store.insert(r, tokenHash(token));
        ctx.audit().append(AuditLog.SELF, "rights.export.requested", username, Map.of("request", r.id(),
                "channel", "xmpp", "expires", r.expiresAt().toString()));
        IQ result = IQ.createResultIQ(request);
        Element export = result.setChildElement("export", NS);
        export.add(requestElement(r, options.complaintChannel()));
        export.addElement("archive").addAttribute("url", ctx.httpsUrl() + RightsHttp.PREFIX + token)
                .addAttribute("expires", r.expiresAt().toString())
                .addAttribute("type", "application/zip");
        return result;
    }

    /** §3.4: one's own requests, oldest first, the cancellation included while the account exists. */
    IQ requests(IQ request) {
        IQ result = IQ.createResultIQ(request);
        Element list = result.setChildElement("requests", NS);
        String username = request.getFrom().getNode();
        java.util.List<RightsStore.Request> all = new java.util.ArrayList<>(store.ofUser(username));
        if (cancellations != null) {
            cancellations.ofUser(username).ifPresent(all::add);
        }
        all.sort(java.util.Comparator.comparing(RightsStore.Request::receivedAt).thenComparing(RightsStore.Request::id));
        all.forEach(r -> list.add(requestElement(r, options.complaintChannel())));
        return result;
    }

    /** §3.5: a correction, applied at once or left open for staff (§5). */
    IQ correction(IQ request) throws StanzaErrorException {
        CorrectionElement correction = CorrectionElement.from(request.getChildElement());
        RightsStore.Request r = corrections.request(request.getFrom().getNode(), correction);
        IQ result = IQ.createResultIQ(request);
        result.setChildElement("correction", NS).add(requestElement(r, options.complaintChannel()));
        return result;
    }

    /** A request as the requester sees it; a refusal names the complaint channel (PIPL art. 50, AC-26). */
    static Element requestElement(RightsStore.Request r, String complaintChannel) {
        Element e = org.dom4j.DocumentHelper.createElement(org.dom4j.QName.get("request", NS));
        e.addAttribute("id", r.id()).addAttribute("kind", r.kind())
                .addAttribute("received", r.receivedAt().toString())
                .addAttribute("verified", r.verifiedAt() == null ? null : r.verifiedAt().toString())
                .addAttribute("responded", r.respondedAt() == null ? null : r.respondedAt().toString())
                .addAttribute("deadline", r.deadline().toString());
        if (r.expiresAt() != null) {
            e.addAttribute("downloads", Integer.toString(r.downloads()));
        }
        e.addAttribute("outcome", r.outcome()).addAttribute("reason", r.reason());
        if ("refused".equals(r.outcome())) {
            e.addElement(org.dom4j.QName.get("complaint", NS)).setText(complaintChannel);
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
