package im.tongyou.server.feature.mam;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.Verdict;
import im.tongyou.server.feature.StoredXml;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.PacketError;

/**
 * Archives 1:1 messages for both parties (XEP-0313 §3): the sender's copy before routing (an
 * outgoing message), the recipient's when it is delivered or stored offline (an incoming one),
 * each under a fresh UID that the recipient learns from a {@code <stanza-id/>} (§3.5). The write is
 * queued, not awaited ({@link MamWriter}): stream management acknowledges the sender's stanza
 * (XEP-0198) only once it is committed.
 *
 * <p>A message that already carries the recipient archive's stanza-id was archived before: a copy
 * the sender archived for itself (a note to self), or one that stream management delivers again
 * after its session died (XEP-0313 §6.1.1: a stanza is stored "within a given archive only once").
 * §3.5: the sender's own id is not shown to the recipient ("Servers MUST NOT include the
 * &lt;stanza-id/&gt; element in messages addressed to JIDs that do not have permissions to access
 * the archive"), but it stays on the copies for the sender's other resources (carbons, XEP-0280),
 * which are made between {@link #outgoing} and {@link #hideSenderId}.
 */
final class MamArchiver {

    private static final Logger log = LoggerFactory.getLogger(MamArchiver.class);

    private final String domain;
    private final MamWriter writer;
    private final MamPrefsStore prefs;
    private final MamPrefs.Mode serverDefault;
    private final BiPredicate<String, JID> inRoster;
    private final Predicate<JID> reachable;

    /**
     * @param inRoster  whether a bare JID is on a user's roster (for the 'roster' default)
     * @param reachable whether an outgoing message's addressee exists here (a local account or one
     *                  of the server's services): messages bounced at once are not archived
     */
    MamArchiver(String domain, MamWriter writer, MamPrefsStore prefs,
                MamPrefs.Mode serverDefault, BiPredicate<String, JID> inRoster, Predicate<JID> reachable) {
        this.domain = domain;
        this.writer = writer;
        this.prefs = prefs;
        this.serverDefault = serverDefault;
        this.inRoster = inRoster;
        this.reachable = reachable;
    }

    /** PRE_ROUTE: drops forged stanza-ids, then archives the sender's copy. */
    Verdict outgoing(Message message) throws StanzaErrorException {
        StanzaIds.removeClaimsOf(message.getElement(), domain);
        JID from = message.getFrom();
        if (!isLocalUser(from)) {
            return Verdict.CONTINUE;
        }
        // RFC 6120 §10.3.1: no 'to' is the sender's own bare JID.
        JID to = message.getTo() == null ? from.asBareJID() : message.getTo();
        if (MamPolicy.archivable(message) && reachable.test(to) && archives(from.getNode(), to)) {
            archive(from.asBareJID(), message, to, true);
        }
        return Verdict.CONTINUE;
    }

    /** PRE_ROUTE, after carbons: the sender's stanza-id does not travel to another account. */
    Verdict hideSenderId(Message message) {
        JID from = message.getFrom();
        JID to = message.getTo();
        if (isLocalUser(from) && to != null && !to.asBareJID().equals(from.asBareJID())) {
            StanzaIds.remove(message.getElement(), from);
        }
        return Verdict.CONTINUE;
    }

    /** DELIVER and OFFLINE: archives the recipient's copy, once. */
    Verdict incoming(Message message) throws StanzaErrorException {
        JID from = message.getFrom();
        if (from == null) {
            return Verdict.CONTINUE;
        }
        JID to = message.getTo() == null ? from.asBareJID() : message.getTo();
        if (!isLocalUser(to) || StanzaIds.find(message.getElement(), to) != null) {
            return Verdict.CONTINUE;
        }
        if (MamPolicy.archivable(message) && archives(to.getNode(), from)) {
            archive(to.asBareJID(), message, from, false);
        }
        return Verdict.CONTINUE;
    }

    private boolean archives(String owner, JID target) {
        MamPrefsStore.Settings s = prefs.settings(owner);
        MamPrefs p = new MamPrefs(s.mode() == null ? serverDefault : s.mode(), s.always(), s.never());
        // A user is on their own roster for the 'roster' default: notes to self are kept.
        return p.archives(target, bare -> bare.getNode() != null && bare.getNode().equals(owner)
                && domain.equals(bare.getDomain()) || inRoster.test(owner, bare));
    }

    private void archive(JID archive, Message message, JID with, boolean outgoing) throws StanzaErrorException {
        String owner = archive.getNode();
        // The stored copy is the stanza without the archive's own stanza-id: its UID comes from the
        // order key the writer gives (MamUids); a result carries it in its 'id' (and gets it back).
        // The writer seals it with the rest of its bucket (MamBucket.seal).
        MamStore.Row row = new MamStore.Row(0, owner, with.toBareJID(),
                with.getResource() == null ? "" : with.getResource(), null, outgoing,
                StoredXml.toBytes(message.getElement()));
        try {
            StanzaIds.add(message.getElement(), archive, writer.submit(List.of(row)).get(0).sid());
        } catch (RuntimeException e) {
            log.error("could not archive a message of {}; it is not delivered", owner, e);
            // The archive is part of delivery: the sender learns the message did not go through.
            throw new StanzaErrorException(PacketError.Condition.internal_server_error, PacketError.Type.wait,
                    "the message could not be archived", null);
        }
    }

    private boolean isLocalUser(JID jid) {
        return jid != null && jid.getNode() != null && domain.equals(jid.getDomain());
    }
}
