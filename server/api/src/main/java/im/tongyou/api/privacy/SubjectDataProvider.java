package im.tongyou.api.privacy;

import java.util.Map;
import java.util.Set;

/**
 * One store of personal data, able to export and erase everything it holds about one user
 * (design guide §6). Account removal and data export walk every registered provider; a table with
 * personal data that no provider names is a defect.
 */
public interface SubjectDataProvider {

    /** A short name for the store, for example {@code roster}; the key of its part in an export. */
    String name();

    /** The database tables whose rows this provider exports and erases. */
    Set<String> tables();

    /**
     * Everything the store holds about the user, as values a JSON writer understands: maps with
     * string keys, lists, strings, numbers, booleans and {@code null}. Blocking.
     */
    Map<String, Object> export(String username);

    /** Deletes everything the store holds about the user. Idempotent; blocking. */
    void erase(String username);
}
