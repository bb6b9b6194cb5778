package im.tongyou.consent;

import im.tongyou.api.commands.CommandNote;
import im.tongyou.api.commands.CommandResult;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.JID;

/**
 * The administrators' commands on the ledger and the scheduled work ({@code xeps/tongyou-consent.md}
 * §3.11): verify the hash chain, and run the jobs now (deleting accounts that waited for a guardian
 * too long, children who turned 14, purging pseudonymised ledger rows past their retention).
 */
final class LedgerCommands {

    private LedgerCommands() {
    }

    /** {@code #verify-ledger}: walks the chain and says whether it is intact. */
    static final class Verify extends ConsentCommand {
        private final Supplier<LedgerVerifier.Result> verifier;

        Verify(Supplier<LedgerVerifier.Result> verifier, Predicate<JID> isAdmin) {
            super("verify-ledger", "Verify the consent ledger", isAdmin);
            this.verifier = verifier;
        }

        @Override
        DataForm form() {
            return null;
        }

        @Override
        CommandResult complete(JID requester, DataForm submitted) {
            LedgerVerifier.Result r = verifier.get();
            DataForm result = form(DataForm.Type.result, "Consent ledger", null);
            result.addField("intact", "Intact", FormField.Type.boolean_type).addValue(r.intact() ? "1" : "0");
            result.addField("rows", "Rows verified", FormField.Type.text_single).addValue(Long.toString(r.rows()));
            if (!r.intact()) {
                result.addField("broken-at", "First row that fails", FormField.Type.text_single)
                        .addValue(Long.toString(r.brokenAt()));
                result.addField("reason", "Why", FormField.Type.text_single).addValue(r.reason());
                return new CommandResult.Completed(result, java.util.List.of(CommandNote.error(r.reason())));
            }
            return CommandResult.completed(result, CommandNote.info("The ledger is intact: " + r.rows() + " rows"));
        }
    }

    /** {@code #run-jobs}: the scheduled jobs, now. */
    static final class RunJobs extends ConsentCommand {
        private final IntSupplier expire;
        private final IntSupplier birthdays;
        private final IntSupplier purge;

        RunJobs(IntSupplier expire, IntSupplier birthdays, IntSupplier purge, Predicate<JID> isAdmin) {
            super("run-jobs", "Run the consent jobs now", isAdmin);
            this.expire = expire;
            this.birthdays = birthdays;
            this.purge = purge;
        }

        @Override
        DataForm form() {
            return null;
        }

        @Override
        CommandResult complete(JID requester, DataForm submitted) {
            DataForm result = form(DataForm.Type.result, "Consent jobs", null);
            result.addField("expired", "Children's accounts deleted (no guardian in time)", FormField.Type.text_single)
                    .addValue(Integer.toString(expire.getAsInt()));
            result.addField("turned-14", "Children who turned 14", FormField.Type.text_single)
                    .addValue(Integer.toString(birthdays.getAsInt()));
            result.addField("purged", "Pseudonymised ledger rows purged", FormField.Type.text_single)
                    .addValue(Integer.toString(purge.getAsInt()));
            return CommandResult.completed(result);
        }
    }
}
