package im.tongyou.server.feature.caps;

import im.tongyou.server.feature.StoredXml;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verified verification strings to the features they stand for (XEP-0115 §5.4 step 8: "SHOULD
 * globally cache the result"): the most recently used in memory, within a bound, and every one
 * in the {@link CapsStore}.
 */
final class CapsCache {

    private static final Logger log = LoggerFactory.getLogger(CapsCache.class);

    private final CapsStore store;
    private final Map<String, Set<String>> memory;

    CapsCache(CapsStore store, int maxInMemory) {
        this.store = store;
        this.memory = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
                return size() > maxInMemory;
            }
        };
    }

    /** The features of a verified string, from memory or else the database. */
    Optional<Set<String>> get(String hash, String ver) {
        String key = hash + ' ' + ver;
        synchronized (memory) {
            Set<String> features = memory.get(key);
            if (features != null) {
                return Optional.of(features);
            }
        }
        Optional<Set<String>> stored = store.find(hash, ver).flatMap(CapsCache::features);
        stored.ifPresent(f -> {
            synchronized (memory) {
                memory.put(key, f);
            }
        });
        return stored;
    }

    /** Keeps a string that was just verified against the info. */
    void put(String hash, String ver, Element info, Set<String> features) {
        synchronized (memory) {
            memory.put(hash + ' ' + ver, features);
        }
        store.add(hash, ver, StoredXml.toText(info));
    }

    private static Optional<Set<String>> features(String xml) {
        try {
            return CapsVer.read(StoredXml.parse(xml)).map(CapsVer::features);
        } catch (IllegalArgumentException e) {
            log.warn("a stored caps entry is not readable: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
