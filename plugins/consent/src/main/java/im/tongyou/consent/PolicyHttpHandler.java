package im.tongyou.consent;

import im.tongyou.api.http.HttpHandler;
import im.tongyou.api.http.HttpRequest;
import im.tongyou.api.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Every published policy version over HTTPS without login (R-POL-1, policy 九 "旧版本入口", AC-24;
 * {@code xeps/tongyou-consent.md} §3.10): {@code /policy/} is the registry as JSON (document,
 * version, SHA-256, effective time, material flag, path), {@code /policy/<document>/<version>} the
 * exact text whose SHA-256 the registry lists, {@code /policy/<document>/current} the one in effect.
 */
final class PolicyHttpHandler implements HttpHandler {

    static final String PREFIX = "/policy/";

    private final PolicyRegistry policies;

    PolicyHttpHandler(PolicyRegistry policies) {
        this.policies = policies;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        if (!"GET".equals(request.method()) && !"HEAD".equals(request.method())) {
            return HttpResponse.text(405, "only GET").withHeader("Allow", "GET, HEAD");
        }
        String rest = request.path().substring(PREFIX.length() - 1);
        if (rest.equals("/") || rest.isEmpty()) {
            return HttpResponse.json(200, registry()).withHeader("Cache-Control", "no-cache");
        }
        String[] parts = rest.substring(1).split("/", -1);
        if (parts.length != 2) {
            return HttpResponse.notFound();
        }
        Optional<PolicyStore.Version> version = "current".equals(parts[1]) ? policies.current(parts[0])
                : policies.find(parts[0], parts[1]);
        if (version.isEmpty()) {
            return HttpResponse.notFound();
        }
        PolicyStore.Version v = version.get();
        byte[] body = policies.body(v.document(), v.version()).orElseThrow().getBytes(StandardCharsets.UTF_8);
        return new HttpResponse(200, "text/plain; charset=utf-8", body, java.util.Map.of())
                .withHeader("ETag", "\"" + v.sha256() + "\"")
                .withHeader("Cache-Control", "current".equals(parts[1]) ? "no-cache" : "public, max-age=86400, immutable");
    }

    private String registry() {
        StringBuilder json = new StringBuilder("{\"documents\":[");
        boolean first = true;
        for (PolicyStore.Version v : policies.all()) {
            json.append(first ? "" : ",").append("{\"document\":").append(quote(v.document()))
                    .append(",\"version\":").append(quote(v.version()))
                    .append(",\"sha256\":").append(quote(v.sha256()))
                    .append(",\"effective\":").append(quote(v.effectiveAt().toString()))
                    .append(",\"published\":").append(quote(v.publishedAt().toString()))
                    .append(",\"material\":").append(v.material())
                    .append(",\"inEffect\":").append(policies.current(v.document()).map(c -> c.equals(v)).orElse(false))
                    .append(",\"path\":").append(quote(PREFIX + v.document() + "/" + v.version())).append('}');
            first = false;
        }
        return json.append("]}").toString();
    }

    /** A JSON string; versions and names are restricted already, but escape anyway. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
