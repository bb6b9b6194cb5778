package im.tongyou.server.feature.pubsub;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.dom4j.Element;

/**
 * A leaf node's configuration, the {@code pubsub#node_config} form of XEP-0060 §16.4.4 (§8.2
 * "Configure a Node"), and how it is read from a submitted form or publish-options (§7.1.5).
 *
 * @param maxItems the most items kept, or {@link #MAX} for the service's limit ({@code max}, XEP-0060
 *                 §16.4.4: "pubsub#max_items ... or 'max' for no specific limit other than a server imposed maximum")
 */
record NodeConfig(String title, String description, String payloadType, Access access, PublishModel publishModel,
                  boolean deliverPayloads, boolean deliverNotifications, boolean persistItems, int maxItems,
                  boolean notifyConfig, boolean notifyDelete, boolean notifyRetract, boolean presenceBasedDelivery,
                  SendLast sendLast, List<String> rosterGroups, String notificationType, boolean subscribe) {

    static final int MAX = -1;

    /** The access models this server offers (§4.5); {@code authorize} is not one of them. */
    enum Access { OPEN, PRESENCE, ROSTER, WHITELIST }

    /** Who may publish (§16.4.4 pubsub#publish_model). */
    enum PublishModel { PUBLISHERS, SUBSCRIBERS, OPEN }

    /** When the last item goes to a new subscriber (§16.4.4 pubsub#send_last_published_item). */
    enum SendLast { NEVER, ON_SUB, ON_SUB_AND_PRESENCE }

    NodeConfig {
        rosterGroups = List.copyOf(rosterGroups);
    }

    /** The defaults of a new node: PEP nodes have the presence access model (XEP-0163 §1.1, "presence" is the default). */
    static NodeConfig defaults(boolean pep, int maxItems) {
        return new NodeConfig("", "", "", pep ? Access.PRESENCE : Access.OPEN, PublishModel.PUBLISHERS, true, true,
                true, maxItems, false, false, true, false, pep ? SendLast.ON_SUB_AND_PRESENCE : SendLast.NEVER,
                List.of(), "headline", true);
    }

    /** The configuration with a submitted form's fields applied; {@code limit} bounds max_items. */
    NodeConfig with(Map<String, List<String>> fields, int limit) throws InvalidConfigException {
        NodeConfig c = this;
        for (Map.Entry<String, List<String>> f : fields.entrySet()) {
            List<String> v = f.getValue();
            String one = v.isEmpty() ? "" : v.get(0);
            try {
                c = switch (f.getKey()) {
                    case "FORM_TYPE", "pubsub#max_payload_size" -> c;
                    case "pubsub#title" -> c.copy(b -> b.title = one);
                    case "pubsub#description" -> c.copy(b -> b.description = one);
                    case "pubsub#type" -> c.copy(b -> b.payloadType = one);
                    case "pubsub#node_type" -> {
                        if (!one.isEmpty() && !one.equals("leaf")) {
                            throw new InvalidConfigException("only leaf nodes are offered");
                        }
                        yield c;
                    }
                    case "pubsub#access_model" -> c.copy(b -> b.access = parse(Access.class, one));
                    case "pubsub#publish_model" -> c.copy(b -> b.publishModel = parse(PublishModel.class, one));
                    case "pubsub#deliver_payloads" -> c.copy(b -> b.deliverPayloads = Forms.bool(one));
                    case "pubsub#deliver_notifications" -> c.copy(b -> b.deliverNotifications = Forms.bool(one));
                    case "pubsub#persist_items" -> c.copy(b -> b.persistItems = Forms.bool(one));
                    case "pubsub#max_items" -> c.copy(b -> b.maxItems = maxItems(one, limit));
                    case "pubsub#notify_config" -> c.copy(b -> b.notifyConfig = Forms.bool(one));
                    case "pubsub#notify_delete" -> c.copy(b -> b.notifyDelete = Forms.bool(one));
                    case "pubsub#notify_retract" -> c.copy(b -> b.notifyRetract = Forms.bool(one));
                    case "pubsub#presence_based_delivery" -> c.copy(b -> b.presenceBasedDelivery = Forms.bool(one));
                    case "pubsub#send_last_published_item" -> c.copy(b -> b.sendLast = parse(SendLast.class, one));
                    case "pubsub#roster_groups_allowed" -> c.copy(b -> b.rosterGroups = List.copyOf(v));
                    case "pubsub#notification_type" -> c.copy(b -> b.notificationType = choice(one, "headline", "normal"));
                    case "pubsub#subscribe" -> c.copy(b -> b.subscribe = Forms.bool(one));
                    default -> throw new InvalidConfigException("unknown field " + f.getKey());
                };
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(f.getKey() + ": " + e.getMessage());
            }
        }
        return c;
    }

    /** The effective max_items, with {@code max} as the service's limit. */
    int effectiveMaxItems(int limit) {
        return maxItems == MAX ? limit : maxItems;
    }

    /**
     * Whether the node meets a publish-options precondition (XEP-0060 §7.1.5): each field compared
     * with the node's value, after both are read the same way (so "1" meets "true", and "max" meets
     * a limit of the service's maximum).
     */
    boolean meets(Map<String, List<String>> preconditions, int limit) {
        try {
            NodeConfig wanted = with(preconditions, limit);
            return wanted.normalised(limit).equals(normalised(limit));
        } catch (InvalidConfigException e) {
            return false;
        }
    }

    private NodeConfig normalised(int limit) {
        int max = effectiveMaxItems(limit);
        return copy(b -> b.maxItems = max);
    }

    /** The form of this configuration: type {@code form} for an owner to fill, or {@code submit} to store. */
    Element toForm(String type, int maxPayloadBytes, int limit) {
        Element x = Forms.create(type, PubSub.NODE_CONFIG);
        Forms.field(x, "pubsub#title", "text-single", "A friendly name for the node", title);
        Forms.field(x, "pubsub#description", "text-single", "A description of the node", description);
        Forms.field(x, "pubsub#type", "text-single", "The type of node data, usually its namespace", payloadType);
        Forms.list(x, "pubsub#node_type", "The type of the node", "leaf", List.of("leaf"));
        Forms.list(x, "pubsub#access_model", "Who may subscribe and retrieve items", value(access),
                List.of("open", "presence", "roster", "whitelist"));
        Forms.list(x, "pubsub#publish_model", "Who may publish items", value(publishModel),
                List.of("publishers", "subscribers", "open"));
        bool(x, "pubsub#deliver_payloads", "Deliver payloads with event notifications", deliverPayloads);
        bool(x, "pubsub#deliver_notifications", "Deliver event notifications", deliverNotifications);
        bool(x, "pubsub#persist_items", "Persist items to storage", persistItems);
        // Stored as "max" so that a node keeps following the service's limit; shown as the number.
        String max = maxItems == MAX && type.equals("submit") ? "max" : Integer.toString(effectiveMaxItems(limit));
        Forms.field(x, "pubsub#max_items", "text-single", "The most items to keep (" + limit + " at most)", max);
        Forms.field(x, "pubsub#max_payload_size", "text-single", "The largest payload in bytes",
                Integer.toString(maxPayloadBytes));
        bool(x, "pubsub#notify_config", "Notify subscribers when the configuration changes", notifyConfig);
        bool(x, "pubsub#notify_delete", "Notify subscribers when the node is deleted", notifyDelete);
        bool(x, "pubsub#notify_retract", "Notify subscribers when items are removed", notifyRetract);
        bool(x, "pubsub#presence_based_delivery", "Deliver only to available users", presenceBasedDelivery);
        Forms.list(x, "pubsub#send_last_published_item", "When to send the last published item", value(sendLast),
                List.of("never", "on_sub", "on_sub_and_presence"));
        Forms.field(x, "pubsub#roster_groups_allowed", "list-multi", "Roster groups allowed to subscribe",
                rosterGroups.toArray(String[]::new));
        Forms.list(x, "pubsub#notification_type", "The message type of notifications", notificationType,
                List.of("headline", "normal"));
        bool(x, "pubsub#subscribe", "Allow subscriptions", subscribe);
        return x;
    }

    /** Reads a stored configuration (the submit form {@link #toForm} wrote). */
    static NodeConfig fromStored(Element form, boolean pep, int limit) {
        try {
            NodeConfig base = defaults(pep, limit);
            return base.with(Forms.values(form), Integer.MAX_VALUE);
        } catch (InvalidConfigException e) {
            throw new IllegalStateException("stored node configuration unreadable: " + e.getMessage(), e);
        }
    }

    private static void bool(Element x, String var, String label, boolean value) {
        Forms.field(x, var, "boolean", label, value ? "1" : "0");
    }

    static String value(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value) {
        for (E e : type.getEnumConstants()) {
            if (value(e).equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unsupported value '" + value + "'");
    }

    private static String choice(String value, String... allowed) {
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unsupported value '" + value + "'");
    }

    private static int maxItems(String value, int limit) {
        if (value.equals("max")) {
            return MAX;
        }
        int n = Integer.parseInt(value);
        if (n < 1 || n > limit) {
            throw new IllegalArgumentException("between 1 and " + limit + ", or max");
        }
        return n;
    }

    /** A copy with some values changed. */
    NodeConfig copy(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return new NodeConfig(b.title, b.description, b.payloadType, b.access, b.publishModel, b.deliverPayloads,
                b.deliverNotifications, b.persistItems, b.maxItems, b.notifyConfig, b.notifyDelete, b.notifyRetract,
                b.presenceBasedDelivery, b.sendLast, b.rosterGroups, b.notificationType, b.subscribe);
    }

    /** The values of a configuration being changed. */
    static final class Builder {
        String title;
        String description;
        String payloadType;
        Access access;
        PublishModel publishModel;
        boolean deliverPayloads;
        boolean deliverNotifications;
        boolean persistItems;
        int maxItems;
        boolean notifyConfig;
        boolean notifyDelete;
        boolean notifyRetract;
        boolean presenceBasedDelivery;
        SendLast sendLast;
        List<String> rosterGroups;
        String notificationType;
        boolean subscribe;

        private Builder(NodeConfig c) {
            title = c.title;
            description = c.description;
            payloadType = c.payloadType;
            access = c.access;
            publishModel = c.publishModel;
            deliverPayloads = c.deliverPayloads;
            deliverNotifications = c.deliverNotifications;
            persistItems = c.persistItems;
            maxItems = c.maxItems;
            notifyConfig = c.notifyConfig;
            notifyDelete = c.notifyDelete;
            notifyRetract = c.notifyRetract;
            presenceBasedDelivery = c.presenceBasedDelivery;
            sendLast = c.sendLast;
            rosterGroups = c.rosterGroups;
            notificationType = c.notificationType;
            subscribe = c.subscribe;
        }
    }

    /** A configuration form the server cannot accept (XEP-0060 §8.2.5.3: not-acceptable). */
    static final class InvalidConfigException extends Exception {
        InvalidConfigException(String message) {
            super(message, null, false, false);
        }
    }
}
