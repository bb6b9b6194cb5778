package im.tongyou.server.feature.lastactivity;

import im.tongyou.api.PluginContext;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.api.privacy.SubjectDataProvider;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The last logout of a user as personal data: exported with its status, erased with the account. */
final class LastActivitySubjectData implements SubjectDataProvider {

    private final PluginContext ctx;
    private final LastActivityStore store;

    LastActivitySubjectData(PluginContext ctx, LastActivityStore store) {
        this.ctx = ctx;
        this.store = store;
    }

    @Override
    public String name() {
        return "lastactivity";
    }

    @Override
    public String purpose() {
        return "Last activity (XEP-0012): when the user last logged out, shown to contacts who see their presence (core IM, contract).";
    }

    @Override
    public Set<String> tables() {
        return Set.of("lastactivity");
    }

    @Override
    public Map<String, Object> export(String username) {
        Map<String, Object> export = new LinkedHashMap<>();
        store.find(username).ifPresent(logout -> {
            export.put("lastLogout", logout.at().toString());
            String status = null;
            if (logout.status() != null) {
                try {
                    status = new String(ctx.crypto().decrypt(username, logout.status()), StandardCharsets.UTF_8);
                } catch (Crypto.KeyDestroyedException e) {
                    status = null;
                }
            }
            export.put("status", status);
        });
        return export;
    }

    @Override
    public void erase(String username) {
        store.erase(username);
    }
}
