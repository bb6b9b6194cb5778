package im.tongyou.api;

import java.util.List;

/** What the running plugins advertise through service discovery (XEP-0030), as read by disco and caps. */
public interface DiscoInfo {

    /** The server's identities. */
    List<DiscoIdentity> identities();

    /** The distinct features of an entity, sorted. */
    List<String> features(DiscoScope scope);

    /**
     * Whether a disco#info request to the entity that names this node (XEP-0030 §3.2) asks for the
     * entity's own info, as XEP-0115 §6.2's {@code node#ver} does; see
     * {@link PluginContext#addInfoNode}.
     */
    boolean isInfoNode(DiscoScope scope, String node);

    /** The server's items: the services on its subdomains. */
    List<DiscoItem> serverItems();
}
