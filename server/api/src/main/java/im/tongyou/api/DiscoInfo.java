package im.tongyou.api;

import java.util.List;

/** What the running plugins advertise through service discovery (XEP-0030), as read by disco and caps. */
public interface DiscoInfo {

    /** The server's identities. */
    List<DiscoIdentity> identities();

    /** The distinct features of an entity, sorted. */
    List<String> features(DiscoScope scope);

    /** The server's items: the services on its subdomains. */
    List<DiscoItem> serverItems();
    /** The handlers of server nodes, in registration order. */
    List<DiscoNodeHandler> nodeHandlers();

    /** The handlers of what plugins keep on accounts (XEP-0163 §6), in registration order. */
    List<AccountDiscoHandler> accountHandlers();
}
