package im.tongyou.consent;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.CommandNote;
import im.tongyou.api.commands.CommandResult;
import im.tongyou.api.privacy.Purpose;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.JID;

/**
 * Publishes a new version of a policy document ({@code xeps/tongyou-consent.md} §3.11.1, R-POL-1,
 * R-POL-2): its text (the lines of a text-multi field joined with line feeds), whether it is a
 * material change, and for the privacy policy the notices of purposes it adds or rewords and the
 * purposes whose terms change. A material version blocks what it adds or changes until each user
 * consents again (R-CON-7, AC-24). A version never changes once published.
 */
final class PublishCommand extends ConsentCommand {

    private static final Logger log = LoggerFactory.getLogger(PublishCommand.class);
    static final String NOTICE = "notice-";

    private final PolicyRegistry policies;

    PublishCommand(PolicyRegistry policies, Predicate<JID> isAdmin) {
        super("publish", "Publish a policy version", isAdmin);
        this.policies = policies;
    }

    @Override
    DataForm form() {
        DataForm form = form(DataForm.Type.form, "Publish a policy version",
                "A published version is served to everyone and never changes. Tick material for a change of purposes, "
                        + "data, recipients, rights or contacts (policy 九): what it adds or changes waits for new consent.");
        FormField doc = field(form, "document", "Document", FormField.Type.list_single, true);
        doc.addOption("Privacy policy", PolicyRegistry.PRIVACY);
        doc.addOption("Children's rules", PolicyRegistry.CHILDREN);
        field(form, "version", "Version, for example V4.3.0", FormField.Type.text_single, true);
        field(form, "effective", "Takes effect at (UTC, for example 2027-01-01T00:00:00Z; empty: now)",
                FormField.Type.text_single, false);
        field(form, "material", "Material change", FormField.Type.boolean_type, false).addValue("0");
        field(form, "text", "Full text", FormField.Type.text_multi, true);
        FormField changed = field(form, "changed", "Purposes whose terms change", FormField.Type.list_multi, false);
        for (Purpose p : Purpose.values()) {
            changed.addOption(p.id(), p.id());
        }
        for (Purpose p : Purpose.values()) {
            field(form, NOTICE + p.id(), "Notice of " + p.id() + " (new or reworded only)", FormField.Type.text_multi, false);
        }
        return form;
    }

    @Override
    CommandResult complete(JID requester, DataForm submitted) throws StanzaErrorException {
        FormField textField = submitted.getField("text");
        // every line, blank ones included: they are part of the text whose hash is published
        String text = textField == null ? "" : String.join("\n", textField.getValues());
        Set<Purpose> changed = EnumSet.noneOf(Purpose.class);
        for (String id : values(submitted, "changed")) {
            changed.add(ConsentService.purpose(id));
        }
        Map<Purpose, String> notices = new EnumMap<>(Purpose.class);
        for (Purpose p : Purpose.values()) {
            FormField f = submitted.getField(NOTICE + p.id());
            if (f != null && !values(submitted, NOTICE + p.id()).isEmpty()) {
                notices.put(p, String.join("\n", f.getValues()));
            }
        }
        String material = value(submitted, "material");
        PolicyRegistry.Publication p = new PolicyRegistry.Publication(required(submitted, "document"),
                required(submitted, "version"), ConsentElement.instant(value(submitted, "effective")),
                "1".equals(material) || "true".equals(material), text, notices, changed);
        PolicyStore.Version v;
        try {
            v = policies.publish(p, requester.toBareJID());
        } catch (PolicyRegistry.Refused e) {
            throw badPayload(e.getMessage());
        }
        log.info("{} published {} {} (material: {})", requester.toBareJID(), v.document(), v.version(), v.material());
        DataForm result = form(DataForm.Type.result, "Published", null);
        result.addField("document", "Document", FormField.Type.text_single).addValue(v.document());
        result.addField("version", "Version", FormField.Type.text_single).addValue(v.version());
        result.addField("sha256", "SHA-256 of the text", FormField.Type.text_single).addValue(v.sha256());
        result.addField("effective", "Takes effect at", FormField.Type.text_single).addValue(v.effectiveAt().toString());
        return CommandResult.completed(result, CommandNote.info("Published " + v.document() + " " + v.version()));
    }
}
