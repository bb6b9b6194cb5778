package im.tongyou.api.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The answer of an HTTPS endpoint. The server adds the security headers (HSTS and friends) itself.
 *
 * @param status      the status code
 * @param contentType the media type of the body, or {@code null} without a body
 * @param body        the body
 * @param headers     further headers
 */
public record HttpResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    public HttpResponse {
        body = body == null ? new byte[0] : body;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static HttpResponse text(int status, String text) {
        return new HttpResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static HttpResponse html(String html) {
        return new HttpResponse(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static HttpResponse json(int status, String json) {
        return new HttpResponse(status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static HttpResponse bytes(String contentType, byte[] body) {
        return new HttpResponse(200, contentType, body, Map.of());
    }

    public static HttpResponse notFound() {
        return text(404, "not found");
    }

    /** The same response with one more header. */
    public HttpResponse withHeader(String name, String value) {
        java.util.HashMap<String, String> more = new java.util.HashMap<>(headers);
        more.put(name, value);
        return new HttpResponse(status, contentType, body, more);
    }
}
