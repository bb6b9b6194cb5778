package im.tongyou.consent;

import im.tongyou.api.privacy.Crypto;
import im.tongyou.api.privacy.SubjectDataProvider;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The consent plugin's stores as stores of personal data (design guide §6;
 * {@code xeps/tongyou-consent.md} §6). The ledger is the proof of lawful processing: its erasure
 * pseudonymises (the username is unlinked from the rows, which stay three years, decision 8) instead
 * of deleting; the rest is deleted, but for the staff access log, which never names the user.
 */
final class ConsentSubjectData {

    private ConsentSubjectData() {
    }

    /** {@code consent_subject} and {@code consent_ledger}: the user's consent history. */
    static final class Ledger implements SubjectDataProvider {
        private final LedgerStore store;
        private final Clock clock;
        private final int retentionYears;

        Ledger(LedgerStore store, Clock clock, int retentionYears) {
            this.store = store;
            this.clock = clock;
            this.retentionYears = retentionYears;
        }

        @Override
        public String name() {
            return "consent-ledger";
        }

        @Override
        public Set<String> tables() {
            return Set.of("consent_subject", "consent_ledger");
        }

        @Override
        public Map<String, Object> export(String username) {
            List<Object> rows = new ArrayList<>();
            store.subjectOf(username).ifPresent(s -> {
                long after = 0;
                List<LedgerEntry> page;
                do {
                    page = store.history(s, after, 500);
                    for (LedgerEntry e : page) {
                        rows.add(row(e));
                        after = e.seq();
                    }
                } while (page.size() == 500);
            });
            return Map.of("consentHistory", rows);
        }

        private static Map<String, Object> row(LedgerEntry e) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seq", e.seq());
            row.put("purpose", e.topic());
            row.put("action", e.action().name());
            row.put("type", e.type().name());
            row.put("actor", e.actor().name());
            row.put("policyDocument", e.policyDoc());
            row.put("policyVersion", e.policyVersion());
            row.put("policySha256", e.policySha256());
            row.put("noticeHash", e.noticeHash());
            row.put("recordedAt", e.recordedAt().toString());
            row.put("channel", e.channel().name());
            row.put("appVersion", e.appVersion());
            row.put("locale", e.locale());
            row.put("withdraws", e.withdraws());
            return row;
        }

        /** Pseudonymises: the rows stay, no longer linked to the username. Idempotent. */
        @Override
        public void erase(String username) {
            store.pseudonymise(username, clock.instant());
        }

        /** Purges the rows of subjects pseudonymised longer ago than the retention; returns how many. */
        int purgeExpired() {
            Instant now = clock.instant();
            Instant cutoff = now.atOffset(ZoneOffset.UTC).minusYears(retentionYears).toInstant();
            int purged = 0;
            for (String subject : store.pseudonymisedBefore(cutoff)) {
                purged += store.purge(subject, now);
            }
            return purged;
        }
    }

    /** {@code consent_minor}: a child's guardian contact and pending code. */
    static final class Minor implements SubjectDataProvider {
        private final MinorStore store;
        private final Minors minors;
        private final Crypto crypto;

        Minor(MinorStore store, Minors minors, Crypto crypto) {
            this.store = store;
            this.minors = minors;
            this.crypto = crypto;
        }

        @Override
        public String name() {
            return "consent-minor";
        }

        @Override
        public Set<String> tables() {
            return Set.of("consent_minor");
        }

        @Override
        public Map<String, Object> export(String username) {
            Map<String, Object> out = new LinkedHashMap<>();
            store.find(username).ifPresent(m -> {
                out.put("pendingSince", m.pendingSince().toString());
                out.put("guardianConsentedAt", m.consentedAt() == null ? null : m.consentedAt().toString());
                out.put("guardianRelationship", m.relationship());
                out.put("guardianPhone", guardianPhone(username, m.guardianEnc()));
            });
            return out;
        }

        private String guardianPhone(String username, byte[] enc) {
            if (enc == null) {
                return null;
            }
            try {
                return new String(crypto.decrypt(username, enc), StandardCharsets.UTF_8);
            } catch (Crypto.KeyDestroyedException e) {
                return null;
            }
        }

        @Override
        public void erase(String username) {
            store.delete(username);
            minors.forget(username);
        }
    }

    /** {@code consent_ticket}: approvals of staff access to the user's data. */
    static final class Tickets implements SubjectDataProvider {
        private final TicketStore store;

        Tickets(TicketStore store) {
            this.store = store;
        }

        @Override
        public String name() {
            return "consent-ticket";
        }

        @Override
        public Set<String> tables() {
            return Set.of("consent_ticket");
        }

        @Override
        public Map<String, Object> export(String username) {
            List<Object> rows = new ArrayList<>();
            for (TicketStore.Ticket t : store.forSubject(username)) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("staff", t.staff());
                row.put("approver", t.approver());
                row.put("fields", List.copyOf(t.fields()));
                row.put("purpose", t.purpose());
                row.put("createdAt", t.createdAt().toString());
                row.put("expiresAt", t.expiresAt().toString());
                rows.add(row);
            }
            return Map.of("staffAccessTickets", rows);
        }

        @Override
        public void erase(String username) {
            store.deleteForSubject(username);
        }
    }
}
