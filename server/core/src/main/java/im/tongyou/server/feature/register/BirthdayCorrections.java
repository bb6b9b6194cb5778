package im.tongyou.server.feature.register;

import java.time.LocalDate;

/**
 * Correction of the birthday given at registration, the age gate of the children's rules (R-CHD-1),
 * for the rights plugin once a correction is decided ({@code xeps/tongyou-rights.md} §3.5, PIPL
 * art. 46). Reading it is {@link im.tongyou.api.registration.Registrations#birthday}. Blocking.
 */
public interface BirthdayCorrections {

    /** Replaces the registered birthday; false when the account registered none. */
    boolean correctBirthday(String username, LocalDate birthday);
}
