package im.tongyou.server.feature.rights;

import im.tongyou.api.PluginContext;
import im.tongyou.api.http.HttpHandler;
import im.tongyou.api.http.HttpRequest;
import im.tongyou.api.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The download of an export archive ({@code xeps/tongyou-rights.md} §3.2; privacy requirements
 * AC-16): {@code GET /rights/export/TOKEN}, where the token is a 256-bit secret handed out only on
 * the owner's authenticated stream, stored only as its SHA-256, and refused after it expires. The
 * archive is built at download time, so the server keeps no copy; each download is counted and
 * audited.
 */
final class RightsHttp implements HttpHandler {

    static final String PREFIX = "/rights/export/";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final PluginContext ctx;
    private final RightsStore store;

    RightsHttp(PluginContext ctx, RightsStore store) {
        this.ctx = ctx;
        this.store = store;
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws Exception {
        if (!request.method().equals("GET")) {
            return HttpResponse.text(405, "method not allowed").withHeader("Allow", "GET");
        }
        String token = request.path().substring(PREFIX.length());
        Optional<RightsStore.Request> found = TOKEN.matcher(token).matches()
                ? store.byToken(RightsIqHandler.tokenHash(token)) : Optional.empty();
        if (found.isEmpty()) {
            return HttpResponse.notFound();
        }
        RightsStore.Request r = found.get();
        if (!ctx.clock().instant().isBefore(r.expiresAt()) || !ctx.accounts().exists(r.username())) {
            return HttpResponse.text(410, "this link has expired; ask for a new export");
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ctx.subjectDataArchive().write(r.username(), zip);
        store.downloaded(r.id());
        ctx.audit().append(im.tongyou.api.privacy.AuditLog.SELF, "rights.export.downloaded", r.username(),
                Map.of("request", r.id(), "bytes", Integer.toString(zip.size())));
        return HttpResponse.bytes("application/zip", zip.toByteArray())
                .withHeader("Content-Disposition", "attachment; filename=\"" + r.username() + "-export.zip\"")
                .withHeader("Cache-Control", "no-store");
    }
}
