package im.tongyou.server.feature.register;

import im.tongyou.api.privacy.Crypto;
import im.tongyou.api.privacy.SubjectDataProvider;
import im.tongyou.api.registration.Registrations;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The stores of registration as stores of personal data (design guide §6): what registration
 * recorded (number and birthday, decrypted for the export), the accepted policy versions, and the
 * SMS codes sent to the account's number. Registered in that order, so erased in reverse: the codes
 * are found through the number before the number goes.
 */
final class RegisterSubjectData {

    private RegisterSubjectData() {
    }

    /** {@code register_user}, and the {@link Registrations} read API over it. */
    static final class Users implements SubjectDataProvider, Registrations, BirthdayCorrections {
        private final RegistrationStore store;
        private final Crypto crypto;

        Users(RegistrationStore store, Crypto crypto) {
            this.store = store;
            this.crypto = crypto;
        }

        @Override
        public String name() {
            return "register";
        }

        @Override
        public Set<String> retentionCategories() {
            return Set.of("registration");
        }

        @Override
        public String purpose() {
            return "Registration: the phone number (encrypted, with a keyed hash for look-ups) and birthday (encrypted) (core IM, contract; age check by law).";
        }

        @Override
        public Set<String> tables() {
            return Set.of("register_user");
        }

        @Override
        public Map<String, Object> export(String username) {
            Map<String, Object> out = new LinkedHashMap<>();
            store.find(username).ifPresent(u -> {
                out.put("phoneNumber", decrypt(username, u.phoneEnc()).orElse(null));
                out.put("birthday", decrypt(username, u.birthdayEnc()).orElse(null));
                out.put("registeredAt", u.registeredAt().toString());
            });
            return out;
        }

        @Override
        public void erase(String username) {
            store.deleteUser(username);
        }

        @Override
        public Optional<LocalDate> birthday(String username) {
            return store.find(username).flatMap(u -> decrypt(username, u.birthdayEnc())).map(LocalDate::parse);
        }

        @Override
        public boolean correctBirthday(String username, LocalDate birthday) {
            return store.updateBirthday(username,
                    crypto.encrypt(username, birthday.toString().getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public Optional<String> phoneNumber(String username) {
            return store.find(username).flatMap(u -> decrypt(username, u.phoneEnc()));
        }

        private Optional<String> decrypt(String username, byte[] ciphertext) {
            if (ciphertext == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(new String(crypto.decrypt(username, ciphertext), StandardCharsets.UTF_8));
            } catch (Crypto.KeyDestroyedException e) {
                return Optional.empty();
            }
        }
    }

    /** {@code register_policy_acceptance}: which policy versions the user accepted and when. */
    static final class Acceptances implements SubjectDataProvider {
        private final RegistrationStore store;

        Acceptances(RegistrationStore store) {
            this.store = store;
        }

        @Override
        public String name() {
            return "policy-acceptance";
        }

        @Override
        public Set<String> retentionCategories() {
            return Set.of("policy-acceptance");
        }

        @Override
        public String purpose() {
            return "Proof of consent: which privacy policy version the user accepted, and when (legal obligation).";
        }

        @Override
        public Set<String> tables() {
            return Set.of("register_policy_acceptance");
        }

        @Override
        public Map<String, Object> export(String username) {
            List<Object> rows = new ArrayList<>();
            for (RegistrationStore.Acceptance a : store.acceptances(username)) {
                rows.add(Map.of("document", a.document(), "version", a.version(), "acceptedAt", a.acceptedAt().toString()));
            }
            return Map.of("acceptances", rows);
        }

        @Override
        public void erase(String username) {
            store.deleteAcceptances(username);
        }
    }

    /** {@code register_sms_code}: codes sent to the account's number and not yet purged (never the codes). */
    static final class Codes implements SubjectDataProvider {
        private final Users users;
        private final SmsCodeStore store;
        private final SmsCodes codes;

        Codes(Users users, SmsCodeStore store, SmsCodes codes) {
            this.users = users;
            this.store = store;
            this.codes = codes;
        }

        @Override
        public String name() {
            return "sms-code";
        }

        @Override
        public Set<String> retentionCategories() {
            return Set.of("sms-code");
        }

        @Override
        public String purpose() {
            return "Phone verification: hashed one-time codes sent to the user's number, kept at most minutes (core IM, contract).";
        }

        @Override
        public Set<String> tables() {
            return Set.of("register_sms_code");
        }

        @Override
        public Map<String, Object> export(String username) {
            List<Object> rows = new ArrayList<>();
            users.phoneNumber(username).ifPresent(phone -> {
                for (SmsCodeStore.Code c : store.forPhone(codes.phoneHash(phone))) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("sentAt", c.createdAt().toString());
                    row.put("expiresAt", c.expiresAt().toString());
                    row.put("used", c.usedAt() != null);
                    rows.add(row);
                }
            });
            return Map.of("codes", rows);
        }

        @Override
        public void erase(String username) {
            users.phoneNumber(username).ifPresent(phone -> store.deleteForPhone(codes.phoneHash(phone)));
        }
    }
}
