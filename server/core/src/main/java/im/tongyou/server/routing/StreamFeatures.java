package im.tongyou.server.routing;

import im.tongyou.api.StreamStage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.dom4j.Element;

/** The stream features (RFC 6120 §4.3.2) that plugins add, per stage of the negotiation. */
public final class StreamFeatures {

    private record Feature(StreamStage stage, Supplier<Element> supplier) {
    }

    private final List<Feature> features = new CopyOnWriteArrayList<>();

    /** Adds a feature; the returned handle removes it. */
    public AutoCloseable add(StreamStage stage, Supplier<Element> supplier) {
        Feature feature = new Feature(stage, supplier);
        features.add(feature);
        return () -> features.remove(feature);
    }

    /** The feature elements to offer now at the stage. */
    public List<Element> at(StreamStage stage) {
        List<Element> result = new ArrayList<>();
        for (Feature f : features) {
            if (f.stage() == stage) {
                Element e = f.supplier().get();
                if (e != null) {
                    result.add(e);
                }
            }
        }
        return result;
    }
}
