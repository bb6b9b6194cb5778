package im.tongyou.server.feature.rights;

import im.tongyou.api.PluginContext;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.AdHocCommand;
import im.tongyou.api.commands.CommandNote;
import im.tongyou.api.commands.CommandRequest;
import im.tongyou.api.commands.CommandResult;
import im.tongyou.api.AccountState;
import im.tongyou.api.privacy.AuditLog;
import im.tongyou.api.privacy.MinorDataAccess;
import im.tongyou.api.registration.Registrations;
import java.time.LocalDate;
import java.time.Period;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.JID;

/**
 * The staff side of rights requests, as administrators' ad-hoc commands (XEP-0050;
 * {@code xeps/tongyou-rights.md} §3.7): the open requests with what they ask (each read audited),
 * and the answer to one: apply it, or refuse it with a reason code from the policy's grounds
 * (五(七)) that the requester sees with the complaint channel (R-DSR-7, AC-26).
 */
final class RightsCommands {

    /** Refusal reasons: the grounds of the policy's 五(七) 1-8, and two of correction itself. */
    static final List<String> REASONS = List.of("legal-obligation", "national-security", "public-interest",
            "criminal-justice", "abuse", "vital-interests", "harms-others", "trade-secret", "identity-unverified",
            "data-accurate");

    private RightsCommands() {
    }

    private abstract static class Base implements AdHocCommand {
        final PluginContext ctx;
        final RightsStore store;
        final RightsCorrections corrections;

        Base(PluginContext ctx, RightsStore store, RightsCorrections corrections) {
            this.ctx = ctx;
            this.store = store;
            this.corrections = corrections;
        }

        @Override
        public boolean isAllowed(JID requester) {
            return requester != null && ctx.isAdmin(requester);
        }

        /**
         * Whether the requester is a minor or a child's account (R-CHD-7, every user under 18): the
         * consent plugin's answer, else the account's stage and the age at registration.
         */
        boolean isMinor(String username) {
            Optional<MinorDataAccess> access = ctx.find(MinorDataAccess.class);
            if (access.isPresent()) {
                return access.get().isMinor(username);
            }
            AccountState state = ctx.accounts().state(username);
            if (state == AccountState.PENDING_GUARDIAN || state == AccountState.ACTIVE_MINOR) {
                return true;
            }
            LocalDate today = LocalDate.now(ctx.clock().withZone(RightsCorrections.ZONE));
            return ctx.find(Registrations.class).flatMap(r -> r.birthday(username))
                    .map(b -> Period.between(b, today).getYears() < 18).orElse(false);
        }
    }

    /** What a request asks, for staff. */
    static String asked(RightsCorrections corrections, RightsStore.Request r) throws StanzaErrorException {
        return r.kind().equals("correction") ? Open.describe(corrections.detail(r)) : "";
    }

    /** {@code urn:tongyou:rights:0#open}: the requests that wait for staff, oldest first. */
    static final class Open extends Base {
        static final String NODE = RightsIqHandler.NS + "#open";

        Open(PluginContext ctx, RightsStore store, RightsCorrections corrections) {
            super(ctx, store, corrections);
        }

        @Override
        public String node() {
            return NODE;
        }

        @Override
        public String name() {
            return "Open rights requests";
        }

        @Override
        public CommandResult start(CommandRequest request) throws StanzaErrorException {
            DataForm form = new DataForm(DataForm.Type.result);
            form.setTitle("Open rights requests");
            for (String f : List.of("request", "account", "kind", "received", "deadline", "minor", "asked")) {
                form.addReportedField(f, f, FormField.Type.text_single);
            }
            for (RightsStore.Request r : store.open()) {
                boolean minor = isMinor(r.username());
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("request", r.id());
                item.put("account", r.username() + "@" + ctx.domain());
                item.put("kind", r.kind());
                item.put("received", r.receivedAt().toString());
                item.put("deadline", r.deadline().toString());
                item.put("minor", Boolean.toString(minor));
                // R-CHD-7: what a minor asks is read only with an approval ticket, through #read.
                item.put("asked", minor ? WITHHELD : asked(corrections, r));
                form.addItemFields(item);
                if (!minor) {
                    ctx.audit().append(AuditLog.admin(request.requester().toBareJID()), "rights.request.read",
                            r.username(), Map.of("request", r.id()));
                }
            }
            return CommandResult.completed(form);
        }

        @Override
        public CommandResult submit(CommandRequest request) throws StanzaErrorException {
            return start(request);
        }

        static String describe(CorrectionElement c) {
            StringBuilder s = new StringBuilder();
            c.fields().forEach((k, v) -> s.append(k).append(": ").append(v).append("; "));
            if (c.other() != null) {
                s.append("other: ").append(c.other());
            }
            return s.toString().trim();
        }
    }

    /** What {@code #open} shows of a minor's request instead of its content. */
    static final String WITHHELD = "withheld: a minor's request (R-CHD-7); read it with " + RightsIqHandler.NS
            + "#read and an approval ticket";

    /**
     * {@code urn:tongyou:rights:0#read}: one request with what it asks; a minor's only with an
     * approval ticket for the reader covering {@code rights-requests} (R-CHD-7), and every read is
     * one audit row with staff, ticket, subject, fields and purpose.
     */
    static final class Read extends Base {
        static final String NODE = RightsIqHandler.NS + "#read";

        Read(PluginContext ctx, RightsStore store, RightsCorrections corrections) {
            super(ctx, store, corrections);
        }

        @Override
        public String node() {
            return NODE;
        }

        @Override
        public String name() {
            return "Read a rights request";
        }

        @Override
        public CommandResult start(CommandRequest request) {
            DataForm form = new DataForm(DataForm.Type.form);
            form.setTitle("Read a rights request");
            form.addInstruction("Every read is logged. A minor's request needs an approval ticket for you that covers "
                    + MinorDataAccess.RIGHTS_REQUESTS + " (urn:tongyou:consent:0#create-ticket).");
            form.addField("request", "Request id", FormField.Type.text_single).setRequired(true);
            form.addField("ticket", "Approval ticket (minors)", FormField.Type.text_single);
            form.addField("purpose", "Purpose (adults; a ticket names its own)", FormField.Type.text_single);
            return CommandResult.lastStage(form);
        }

        @Override
        public CommandResult submit(CommandRequest request) throws StanzaErrorException {
            String id = Respond.value(request.form(), "request");
            Optional<RightsStore.Request> found = id == null ? Optional.empty() : store.byId(id);
            if (found.isEmpty()) {
                return CommandResult.failed("there is no request " + id);
            }
            RightsStore.Request r = found.get();
            String staff = request.requester().toBareJID();
            String ticket = Respond.value(request.form(), "ticket");
            String purpose = Respond.value(request.form(), "purpose");
            if (isMinor(r.username())) {
                MinorDataAccess access = ctx.find(MinorDataAccess.class).orElseThrow(() -> StanzaErrorException
                        .forbidden("a minor's request needs an approval ticket, and no plugin issues them"));
                purpose = access.authorise(staff, r.username(), ticket, MinorDataAccess.RIGHTS_REQUESTS);
            }
            DataForm form = new DataForm(DataForm.Type.result);
            form.setTitle("Rights request");
            Map<String, String> shown = new LinkedHashMap<>();
            shown.put("request", r.id());
            shown.put("account", r.username() + "@" + ctx.domain());
            shown.put("kind", r.kind());
            shown.put("received", r.receivedAt().toString());
            shown.put("deadline", r.deadline().toString());
            shown.put("responded", r.respondedAt() == null ? "" : r.respondedAt().toString());
            shown.put("asked", asked(corrections, r));
            shown.forEach((k, v) -> form.addField(k, k, FormField.Type.text_single).addValue(v));
            Map<String, String> details = new LinkedHashMap<>();
            details.put("request", r.id());
            details.put("ticket", ticket == null ? "-" : ticket);
            details.put("fields", MinorDataAccess.RIGHTS_REQUESTS);
            details.put("purpose", purpose == null ? "-" : purpose);
            ctx.audit().append(AuditLog.admin(staff), "rights.request.read", r.username(), details);
            return CommandResult.completed(form);
        }
    }

    /** {@code urn:tongyou:rights:0#respond}: apply or refuse one open request. */
    static final class Respond extends Base {
        static final String NODE = RightsIqHandler.NS + "#respond";

        Respond(PluginContext ctx, RightsStore store, RightsCorrections corrections) {
            super(ctx, store, corrections);
        }

        @Override
        public String node() {
            return NODE;
        }

        @Override
        public String name() {
            return "Answer a rights request";
        }

        @Override
        public CommandResult start(CommandRequest request) {
            DataForm form = new DataForm(DataForm.Type.form);
            form.setTitle("Answer a rights request");
            form.addInstruction("Apply the request (a correction of other data: after making it by hand), or refuse "
                    + "it with a reason; the user sees the reason and the complaint channel.");
            form.addField("request", "Request id", FormField.Type.text_single).setRequired(true);
            FormField decision = form.addField("decision", "Decision", FormField.Type.list_single);
            decision.setRequired(true);
            decision.addOption("Apply", "apply");
            decision.addOption("Refuse", "refuse");
            FormField reason = form.addField("reason", "Reason of a refusal (policy 五(七))", FormField.Type.list_single);
            REASONS.forEach(r -> reason.addOption(r, r));
            return CommandResult.lastStage(form);
        }

        @Override
        public CommandResult submit(CommandRequest request) throws StanzaErrorException {
            String id = value(request.form(), "request");
            String decision = value(request.form(), "decision");
            String reason = value(request.form(), "reason");
            Optional<RightsStore.Request> found = id == null ? Optional.empty() : store.byId(id);
            if (found.isEmpty() || found.get().respondedAt() != null) {
                return CommandResult.failed("there is no open request " + id);
            }
            String staff = request.requester().toBareJID();
            boolean done;
            if ("apply".equals(decision)) {
                done = corrections.apply(found.get(), staff);
            } else if ("refuse".equals(decision) && reason != null && REASONS.contains(reason)) {
                done = corrections.refuse(found.get(), staff, reason);
            } else {
                return CommandResult.failed("choose apply, or refuse with one of the reasons");
            }
            return done ? CommandResult.completed(null, CommandNote.info("request " + id + ": " + decision))
                    : CommandResult.failed("request " + id + " was answered meanwhile");
        }

        static String value(DataForm form, String var) {
            FormField f = form == null ? null : form.getField(var);
            String v = f == null ? null : f.getFirstValue();
            return v == null || v.isBlank() ? null : v.trim();
        }
    }
}
