package im.tongyou.server.feature.upload;

import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.privacy.SubjectDataProvider;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.xmpp.packet.IQ;

/** HTTP File Upload (XEP-0363) on {@code upload.<domain>}: chat media, encrypted at rest, kept for a set time. */
public final class UploadPlugin implements Plugin {

    @Override
    public String id() {
        return "upload";
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.changelog("im/tongyou/server/feature/upload/changelog.xml");
        UploadOptions options = ctx.config(UploadOptions.class);
        UploadStore store = new UploadStore(ctx.dataSource(), ctx.dataDirectory().resolve("uploads"));
        Supplier<String> base = () -> options.publicUrl().isEmpty() ? ctx.httpsUrl() : options.publicUrl();
        UploadService service = new UploadService(ctx.domain(), options, base, store, ctx.clock(), ctx.accounts()::exists);
        ctx.addService(options.subdomain(), "HTTP File Upload", stanza -> {
            if (stanza instanceof IQ iq && (iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set)) {
                ctx.router().route(service.handle(iq));
            }
        });
        ctx.onHttp(UploadHttp.PREFIX, new UploadHttp(store, ctx.crypto(), ctx.clock(), options));
        // Files go after retention-days; slots never used go after slot-seconds.
        ctx.retention("upload", Duration.ofDays(options.retentionDays()), (now, cutoff) -> store.purge(cutoff,
                now.minus(Duration.ofSeconds(options.slotSeconds()))), store::oldest);
        ctx.subjectData(new SubjectDataProvider() {
            @Override
            public String name() {
                return "upload";
            }

            @Override
            public String purpose() {
                return "Chat media (XEP-0363): files the user uploaded, encrypted under their key (core IM, contract).";
            }

            @Override
            public Set<String> tables() {
                return Set.of("upload_file");
            }

            @Override
            public Map<String, Object> export(String username) {
                List<Object> files = store.ofUser(username).stream().map(s -> (Object) Map.of(
                        "filename", s.filename(), "contentType", s.contentType(), "size", s.size(),
                        "createdAt", s.createdAt().toString(), "uploaded", s.uploadedAt() != null)).toList();
                Map<String, Object> export = new LinkedHashMap<>();
                export.put("files", files);
                return export;
            }

            @Override
            public void erase(String username) {
                store.deleteUser(username);
            }
        });
    }
}
