package im.tongyou.api.registration;

import java.time.LocalDate;
import java.util.Optional;

/**
 * What in-band registration (XEP-0077, {@code xeps/tongyou-register.md}) recorded about an account,
 * for the features that need it: the age check of the under-14 guardian flow (R-CHD-1) and SMS to
 * the account holder. Values are decrypted on each call; never log them. Blocking.
 */
public interface Registrations {

    /** The birthday given at registration; empty when none was given or the data key is destroyed. */
    Optional<LocalDate> birthday(String username);

    /** The verified phone number in E.164 form; empty when none was given or the data key is destroyed. */
    Optional<String> phoneNumber(String username);
}
