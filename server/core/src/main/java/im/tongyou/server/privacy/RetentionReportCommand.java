package im.tongyou.server.privacy;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.AdHocCommand;
import im.tongyou.api.commands.CommandRequest;
import im.tongyou.api.commands.CommandResult;
import java.util.List;
import java.util.Set;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.JID;

/**
 * The administrators' ad-hoc command (XEP-0050) {@value #NODE}: each category of personal data with
 * its declared retention and the age of its oldest record (privacy requirements R-RET-1, AC-17), as
 * a XEP-0004 result form with one item per category ("reported" fields, §3.4).
 */
public final class RetentionReportCommand implements AdHocCommand {

    /** The command's node. */
    public static final String NODE = "urn:tongyou:admin:0#retention-report";

    private final RetentionRegistry registry;
    private final Set<String> admins;

    public RetentionReportCommand(RetentionRegistry registry, Set<String> admins) {
        this.registry = registry;
        this.admins = admins;
    }

    @Override
    public String node() {
        return NODE;
    }

    @Override
    public String name() {
        return "Retention report";
    }

    @Override
    public boolean isAllowed(JID requester) {
        return requester != null && admins.contains(requester.toBareJID());
    }

    @Override
    public CommandResult start(CommandRequest request) throws StanzaErrorException {
        return CommandResult.completed(form(registry.report()));
    }

    @Override
    public CommandResult submit(CommandRequest request) throws StanzaErrorException {
        return start(request);
    }

    static DataForm form(List<RetentionRegistry.Report> reports) {
        DataForm form = new DataForm(DataForm.Type.result);
        form.setTitle("Retention of personal data");
        form.addReportedField("category", "Category", FormField.Type.text_single);
        form.addReportedField("retention", "Kept for", FormField.Type.text_single);
        form.addReportedField("oldest-age", "Oldest record age", FormField.Type.text_single);
        for (RetentionRegistry.Report r : reports) {
            java.util.Map<String, Object> item = new java.util.LinkedHashMap<>();
            item.put("category", r.category());
            item.put("retention", r.period() == null ? "account lifetime" : r.period().toString());
            item.put("oldest-age", r.oldestAge() == null ? "none" : r.oldestAge().toString());
            form.addItemFields(item);
        }
        return form;
    }
}
