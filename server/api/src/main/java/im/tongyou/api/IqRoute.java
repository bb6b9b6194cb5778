package im.tongyou.api;

import java.util.Objects;
import org.xmpp.packet.IQ;

/**
 * Where an IQ request goes: its type, the entity it is addressed to, and the qualified name of its
 * child element (RFC 6120 §8.2.3: an IQ get or set contains exactly one payload element).
 *
 * @param type      {@link IQ.Type#get} or {@link IQ.Type#set}
 * @param target    the addressee, see {@link IqTarget}
 * @param namespace the namespace of the child element
 * @param element   the local name of the child element
 */
public record IqRoute(IQ.Type type, IqTarget target, String namespace, String element) {

    public IqRoute {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(element, "element");
        if (type != IQ.Type.get && type != IQ.Type.set) {
            throw new IllegalArgumentException("an IQ route is for get or set, not " + type);
        }
    }

    public static IqRoute get(IqTarget target, String namespace, String element) {
        return new IqRoute(IQ.Type.get, target, namespace, element);
    }

    public static IqRoute set(IqTarget target, String namespace, String element) {
        return new IqRoute(IQ.Type.set, target, namespace, element);
    }
}
