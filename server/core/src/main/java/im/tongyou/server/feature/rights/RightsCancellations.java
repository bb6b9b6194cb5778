package im.tongyou.server.feature.rights;

import im.tongyou.api.PluginContext;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.AdHocCommand;
import im.tongyou.api.commands.CommandRequest;
import im.tongyou.api.commands.CommandResult;
import im.tongyou.api.privacy.AuditLog;
import im.tongyou.api.privacy.CancellationRequests;
import im.tongyou.server.privacy.Cancellations;
import im.tongyou.server.privacy.WorkingCalendar;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

/**
 * Cancellation as a rights request ({@code xeps/tongyou-rights.md} §3.3; privacy requirements AC-13,
 * AC-26): {@code <cancel/>} answers with the request's id, times and deadline before the account's
 * sessions end, and the core's cancellation record (whether by this request or XEP-0077
 * {@code <remove/>}) shows in the user's request list while the account exists, and to staff for as
 * long as the record is kept, without a name once the erasure ended (§3.7).
 */
final class RightsCancellations {

    /** How many cancellations the staff command lists, newest first. */
    static final int LISTED = 200;

    private final PluginContext ctx;
    private final CancellationRequests cancellations;
    private final RightsPlugin.Options options;
    private final WorkingCalendar calendar;

    RightsCancellations(PluginContext ctx, CancellationRequests cancellations, RightsPlugin.Options options,
                        WorkingCalendar calendar) {
        this.ctx = ctx;
        this.cancellations = cancellations;
        this.options = options;
        this.calendar = calendar;
    }

    /**
     * §3.3: the requester is the authenticated owner, so identity is verified on receipt; the answer
     * goes out first, then the account is cancelled (its sessions end) and erased.
     */
    IQ cancel(IQ request) throws StanzaErrorException {
        if (!request.getChildElement().elements().isEmpty() || !request.getChildElement().getTextTrim().isEmpty()) {
            throw StanzaErrorException.badRequest("<cancel/> is empty");
        }
        String username = request.getFrom().getNode();
        Instant now = ctx.clock().instant();
        String id = UUID.randomUUID().toString();
        CancellationRequests.Request r = new CancellationRequests.Request(id, username, AuditLog.SELF, now, now, null,
                Cancellations.deadline(calendar, now));
        IQ result = IQ.createResultIQ(request);
        result.setChildElement("cancel", RightsIqHandler.NS)
                .add(RightsIqHandler.requestElement(asRequest(r), options.complaintChannel()));
        ctx.router().route(result);
        cancellations.cancel(username, AuditLog.SELF, id, now);
        return null;
    }

    /** The user's cancellation, while the account exists, as one of their requests. */
    Optional<RightsStore.Request> ofUser(String username) {
        return cancellations.ofUser(username).map(RightsCancellations::asRequest);
    }

    static RightsStore.Request asRequest(CancellationRequests.Request c) {
        return new RightsStore.Request(c.id(), c.username(), "cancellation", c.receivedAt(), c.verifiedAt(),
                c.respondedAt(), c.deadline(), null, 0, c.respondedAt() == null ? null : "done", null);
    }

    /**
     * {@code urn:tongyou:rights:0#cancellations}: the cancellations, newest first, with their times;
     * the account only while its erasure runs (afterwards the record has no name, §6).
     */
    static final class Command implements AdHocCommand {
        static final String NODE = RightsIqHandler.NS + "#cancellations";

        private final PluginContext ctx;
        private final CancellationRequests cancellations;

        Command(PluginContext ctx, CancellationRequests cancellations) {
            this.ctx = ctx;
            this.cancellations = cancellations;
        }

        @Override
        public String node() {
            return NODE;
        }

        @Override
        public String name() {
            return "Account cancellations";
        }

        @Override
        public boolean isAllowed(JID requester) {
            return requester != null && ctx.isAdmin(requester);
        }

        @Override
        public CommandResult start(CommandRequest request) {
            DataForm form = new DataForm(DataForm.Type.result);
            form.setTitle("Account cancellations");
            List<String> fields = List.of("request", "account", "actor", "received", "verified", "responded",
                    "deadline", "in-time");
            for (String f : fields) {
                form.addReportedField(f, f, FormField.Type.text_single);
            }
            Instant now = ctx.clock().instant();
            for (CancellationRequests.Request c : cancellations.recent(LISTED)) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("request", c.id());
                item.put("account", c.username() == null ? "" : c.username() + "@" + ctx.domain());
                item.put("actor", c.actor());
                item.put("received", c.receivedAt().toString());
                item.put("verified", c.verifiedAt() == null ? "" : c.verifiedAt().toString());
                item.put("responded", c.respondedAt() == null ? "" : c.respondedAt().toString());
                item.put("deadline", c.deadline().toString());
                Instant end = c.respondedAt() == null ? now : c.respondedAt();
                item.put("in-time", Boolean.toString(!end.isAfter(c.deadline())));
                form.addItemFields(item);
            }
            return CommandResult.completed(form);
        }

        @Override
        public CommandResult submit(CommandRequest request) {
            return start(request);
        }
    }
}
