package im.tongyou.server.feature.vcard;

import im.tongyou.api.StanzaErrorException;
import java.util.Map;

/**
 * The profile fields of {@code xeps/tongyou-profile.md} (nickname, gender, birthday, region) for
 * other core features: the rights plugin corrects them on the owner's request
 * ({@code xeps/tongyou-rights.md} §3.5) under the profile's own rules. Field names are the profile's
 * element names; an empty value clears a field. Blocking.
 */
public interface Profiles {

    /** The owner's fields that are set. */
    Map<String, String> fields(String username);

    /** Checks values as a profile set would, changing nothing (the errors of the profile spec §4). */
    void check(Map<String, String> fields) throws StanzaErrorException;

    /** Changes the given fields as the owner's own profile set would. */
    void change(String username, Map<String, String> fields) throws StanzaErrorException;
}
