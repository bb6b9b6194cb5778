package im.tongyou.server.privacy;

import im.tongyou.api.privacy.SubjectDataProvider;
import java.util.Map;
import java.util.Set;

/**
 * The per-user data keys as a store: erasure destroys the key (crypto-shredding every value
 * encrypted for the user, backups included); the export says only whether a key exists.
 */
public final class DataKeysSubjectData implements SubjectDataProvider {

    private final DataKeys keys;

    public DataKeysSubjectData(DataKeys keys) {
        this.keys = keys;
    }

    @Override
    public String name() {
        return "data-keys";
    }

    @Override
    public Set<String> retentionCategories() {
        return Set.of("data-key");
    }

    @Override
    public String purpose() {
        return "Encryption at rest: the user's wrapped data key, destroyed at cancellation (security).";
    }

    @Override
    public Set<String> tables() {
        return Set.of("crypto_user_key");
    }

    @Override
    public Map<String, Object> export(String username) {
        return Map.of("encryptionKeyExists", keys.hasKey(username));
    }

    @Override
    public void erase(String username) {
        keys.destroyKey(username);
    }
}
