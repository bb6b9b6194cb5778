package im.tongyou.api.privacy;

import java.util.Map;
import java.util.Set;
import org.dom4j.Element;
import org.xmpp.packet.JID;

/**
 * One store of personal data, able to export and erase everything it holds about one user
 * (design guide §6). Account removal and data export walk every registered provider; a table with
 * personal data that no provider names is a defect.
 */
public interface SubjectDataProvider {

    /** A short name for the store, for example {@code roster}; the key of its part in an export. */
    String name();

    /**
     * What the store's data is for, and on what basis, in one sentence for the data map (privacy
     * requirements R-RET-1, AC-29), for example "Contact list and presence subscriptions (core IM,
     * contract)". The data-map check fails the build for a store that says nothing.
     */
    default String purpose() {
        return "";
    }

    /**
     * The retention categories (declared with {@code PluginContext.retention...}) that govern this
     * store's rows, for the data map; empty means every category its plugin declared.
     */
    default Set<String> retentionCategories() {
        return Set.of();
    }

    /** The database tables whose rows this provider exports and erases. */
    Set<String> tables();

    /**
     * Everything the store holds about the user, as values a JSON writer understands: maps with
     * string keys, lists, strings, numbers, booleans and {@code null}. Blocking.
     */
    Map<String, Object> export(String username);

    /** Deletes everything the store holds about the user. Idempotent; blocking. */
    void erase(String username);

    /**
     * When the user cancels the account, replaces the user's address in other users' data this
     * store keeps (their archive copies of conversations with the user, say) with the tombstone, a
     * random address that cannot be linked to the user (privacy requirements C-13, decision 3).
     * Runs before {@link #erase}. Idempotent; blocking. Stores that keep no one else's data about the
     * user do nothing.
     */
    default void pseudonymise(String username, JID tombstone) {
    }

    /**
     * Adds the store's part of the user's XEP-0227 portable export to the {@code <user/>} element
     * (namespace {@code urn:xmpp:pie:0}): a roster, a vCard, offline messages, private storage, an
     * archive. Stores with nothing that XEP-0227 can carry do nothing. Blocking.
     */
    default void exportPortable(String username, Element user) {
    }

    /**
     * Imports the store's part of a XEP-0227 {@code <user/>} element into an account that was just
     * created; unknown children are someone else's. Blocking.
     */
    default void importPortable(String username, Element user) {
    }
}
