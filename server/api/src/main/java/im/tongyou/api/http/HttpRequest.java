package im.tongyou.api.http;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * A request to one of the server's HTTPS endpoints, read whole (bodies are bounded).
 *
 * @param method        the method, upper case
 * @param path          the decoded path, starting with {@code /}
 * @param query         the query parameters
 * @param headers       the headers, names in lower case
 * @param body          the body, empty when there is none
 * @param remoteAddress the client's address
 */
public record HttpRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                          byte[] body, InetSocketAddress remoteAddress) {

    public HttpRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** The first value of a query parameter, or {@code null}. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A header's value (name in any case), or {@code null}. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
