package im.tongyou.server.feature.upload;

import im.tongyou.api.http.HttpHandler;
import im.tongyou.api.http.HttpRequest;
import im.tongyou.api.http.HttpResponse;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.feature.upload.UploadStore.Slot;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP side of XEP-0363 (§6): a PUT of exactly the announced size and type within the slot's
 * time stores the file — JPEG metadata removed, encrypted under the uploader's data key — and a GET
 * serves it. Nothing about the file is logged.
 */
final class UploadHttp implements HttpHandler {

    static final String PREFIX = "/upload/";

    private final UploadStore store;
    private final Crypto crypto;
    private final Clock clock;
    private final UploadOptions options;

    UploadHttp(UploadStore store, Crypto crypto, Clock clock, UploadOptions options) {
        this.store = store;
        this.crypto = crypto;
        this.clock = clock;
        this.options = options;
    }

    @Override
    public int maxBodyBytes() {
        return (int) Math.min(Integer.MAX_VALUE - 8, options.maxFileBytes());
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws Exception {
        String rest = request.path().substring(PREFIX.length());
        int slash = rest.indexOf('/');
        Optional<Slot> found = store.find(slash < 0 ? rest : rest.substring(0, slash));
        if (found.isEmpty()) {
            return HttpResponse.notFound();
        }
        Slot slot = found.get();
        return switch (request.method()) {
            case "PUT" -> put(slot, request);
            case "GET", "HEAD" -> get(slot, request.method().equals("HEAD"));
            default -> HttpResponse.text(405, "PUT or GET").withHeader("Allow", "PUT, GET, HEAD");
        };
    }

    private HttpResponse put(Slot slot, HttpRequest request) {
        if (slot.uploadedAt() != null) {
            return HttpResponse.text(409, "this slot was used already");
        }
        if (slot.createdAt().plus(Duration.ofSeconds(options.slotSeconds())).isBefore(clock.instant())) {
            return HttpResponse.text(410, "this slot has expired");
        }
        byte[] body = request.body();
        if (body.length != slot.size()) {
            return HttpResponse.text(400, "the body is not the announced size");
        }
        String type = request.header("content-type");
        if (type != null && !type.equalsIgnoreCase(slot.contentType())) {
            return HttpResponse.text(400, "the content type is not the announced one");
        }
        byte[] clean = JpegMetadata.strip(body);
        if (!store.store(slot.slot(), crypto.encrypt(slot.username(), clean), clock.instant())) {
            return HttpResponse.text(409, "this slot was used already");
        }
        return HttpResponse.text(201, "stored");
    }

    private HttpResponse get(Slot slot, boolean headOnly) throws Exception {
        if (slot.uploadedAt() == null) {
            return HttpResponse.notFound();
        }
        byte[] plain;
        try {
            plain = crypto.decrypt(slot.username(), store.read(slot.slot()));
        } catch (Crypto.KeyDestroyedException e) {
            return HttpResponse.text(410, "the file is gone");
        }
        return new HttpResponse(200, slot.contentType(), headOnly ? new byte[0] : plain, Map.of(
                "Content-Disposition", "inline",
                "Cache-Control", "private, max-age=86400"));
    }
}
