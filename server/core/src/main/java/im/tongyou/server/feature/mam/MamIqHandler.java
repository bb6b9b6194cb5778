package im.tongyou.server.feature.mam;

import im.tongyou.api.ClientSession;
import im.tongyou.api.Sessions;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.server.feature.Forwarded;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * Queries of a user's own archive (XEP-0313 §4): the form of fields, the query with its filters and
 * result set management, the archive metadata (§5), and the archiving preferences (XEP-0441 §2.1).
 * Results go to the querying resource as {@code <result/>} messages, in chronological order (or
 * flipped), then the IQ result with {@code <fin/>}.
 */
final class MamIqHandler {

    /** Counts and indexes are exact up to this many messages, and left out above (XEP-0059 §2.2). */
    static final int EXACT_COUNT_LIMIT = 10_000;
    static final String FORWARD = "urn:xmpp:forward:0";
    static final String DELAY = "urn:xmpp:delay";

    private final MamStore store;
    private final MamPrefsStore prefs;
    private final MamPrefs.Mode serverDefault;
    private final Sessions sessions;
    private final int maxPage;
    private final Runnable writesBehind;

    /** @param writesBehind returns once every message archived so far is stored (a client reads what it was sent) */
    MamIqHandler(MamStore store, MamPrefsStore prefs, MamPrefs.Mode serverDefault, Sessions sessions, int maxPage,
                 Runnable writesBehind) {
        this.writesBehind = writesBehind;
        this.store = store;
        this.prefs = prefs;
        this.serverDefault = serverDefault;
        this.sessions = sessions;
        this.maxPage = maxPage;
    }

    /** IQ get {@code <query/>}: the fields this archive supports (XEP-0313 §4.1.5). */
    IQ form(IQ request) {
        IQ result = IQ.createResultIQ(request);
        result.setChildElement("query", MamQuery.NS).add(MamQuery.form());
        return result;
    }

    /** Another user's archive: XEP-0313 §8.1, "the error condition SHOULD be 'forbidden'". */
    IQ forbidden(IQ request) throws StanzaErrorException {
        throw StanzaErrorException.forbidden("only the owner may query an archive");
    }

    /** IQ set {@code <query/>}: sends the page's results, then answers with {@code <fin/>}. */
    IQ query(IQ request) throws StanzaErrorException {
        String owner = request.getFrom().getNode();
        writesBehind.run();
        MamQuery q = MamQuery.fromElement(request.getChildElement());
        MamStore.Selection selection = selection(owner, q);
        int max = q.max() == null ? maxPage : Math.min(q.max(), maxPage);
        Long after = q.after() == null ? null : idOf(owner, q.after());
        Long before = q.before() == null || q.before().isEmpty() ? null : idOf(owner, q.before());
        List<MamStore.Stored> page = new ArrayList<>(store.page(selection, after, before, q.backwards(),
                Math.max(max, 1) + 1));
        boolean more = page.size() > max;
        if (more) {
            page = page.subList(0, max);
        }
        if (q.backwards()) {
            Collections.reverse(page);
        }
        send(request.getFrom(), q, page);
        return fin(request, q, selection, page, !more);
    }

    /** IQ get {@code <metadata/>} (XEP-0313 §5): the first and last message of the archive. */
    IQ metadata(IQ request) {
        String owner = request.getFrom().getNode();
        writesBehind.run();
        IQ result = IQ.createResultIQ(request);
        Element metadata = result.setChildElement("metadata", MamQuery.NS);
        MamStore.Stored first = store.edge(owner, false);
        MamStore.Stored last = store.edge(owner, true);
        if (first != null && last != null) {
            metadata.addElement("start").addAttribute("id", first.sid()).addAttribute("timestamp", stamp(first.id()));
            metadata.addElement("end").addAttribute("id", last.sid()).addAttribute("timestamp", stamp(last.id()));
        }
        return result;
    }

    /** IQ get {@code <prefs/>} (XEP-0441 §2.1). */
    IQ getPrefs(IQ request) {
        IQ result = IQ.createResultIQ(request);
        result.setChildElement(current(request.getFrom().getNode()).toElement());
        return result;
    }

    /** IQ set {@code <prefs/>}: replaces the preferences and answers with those applied. */
    IQ setPrefs(IQ request) throws StanzaErrorException {
        String owner = request.getFrom().getNode();
        prefs.setPrefs(owner, MamPrefs.fromElement(request.getChildElement()));
        IQ result = IQ.createResultIQ(request);
        result.setChildElement(current(owner).toElement());
        return result;
    }

    private MamPrefs current(String owner) {
        MamPrefsStore.Settings s = prefs.settings(owner);
        return new MamPrefs(s.mode() == null ? serverDefault : s.mode(), s.always(), s.never());
    }

    /** The form's filters (XEP-0313 §4.1) as a selection; unknown UIDs are item-not-found (§4.1.3). */
    private MamStore.Selection selection(String owner, MamQuery q) throws StanzaErrorException {
        long min = q.start() == null ? 0 : MamIds.firstIdFrom(q.start());
        long max = q.end() == null ? Long.MAX_VALUE : MamIds.lastIdUntil(q.end());
        if (q.afterId() != null) {
            min = Math.max(min, idOf(owner, q.afterId()) + 1);
        }
        if (q.beforeId() != null) {
            max = Math.min(max, idOf(owner, q.beforeId()) - 1);
        }
        List<Long> ids = null;
        if (q.ids() != null) {
            if (q.ids().size() > maxPage) {
                throw StanzaErrorException.resourceConstraint("at most " + maxPage + " ids in one query");
            }
            Map<String, Long> found = store.idsOf(owner, new HashSet<>(q.ids()));
            if (found.size() < new HashSet<>(q.ids()).size()) {
                throw StanzaErrorException.itemNotFound("a requested id is not in the archive");
            }
            ids = new ArrayList<>(found.values());
        }
        JID with = q.with();
        return new MamStore.Selection(owner, with == null ? null : with.toBareJID(),
                with == null ? null : with.getResource(), min, max, ids);
    }

    private Long idOf(String owner, String uid) throws StanzaErrorException {
        Long id = store.idsOf(owner, List.of(uid)).get(uid);
        if (id == null) {
            // XEP-0313 §4.3.2: "If the UID ... is not present in the archive, the server MUST return
            // an item-not-found error".
            throw StanzaErrorException.itemNotFound("no message with that id in the archive");
        }
        return id;
    }

    private void send(JID to, MamQuery q, List<MamStore.Stored> page) {
        Optional<ClientSession> session = sessions.get(to);
        if (session.isEmpty()) {
            return;
        }
        List<MamStore.Stored> order = new ArrayList<>(page);
        if (q.flip()) {
            Collections.reverse(order);
        }
        for (MamStore.Stored stored : order) {
            session.get().send(result(to, q.queryId(), stored));
        }
    }

    /** One result (XEP-0313 §4.2), from the archive's address, the original in a XEP-0297 forward. */
    static Message result(JID to, String queryId, MamStore.Stored stored) {
        Message m = new Message();
        m.setTo(to);
        m.setFrom(to.asBareJID());
        Element result = m.getElement().addElement(QName.get("result", MamQuery.NS));
        if (queryId != null) {
            result.addAttribute("queryid", queryId);
        }
        result.addAttribute("id", stored.sid());
        Element forwarded = result.addElement(QName.get("forwarded", FORWARD));
        forwarded.addElement(QName.get("delay", DELAY)).addAttribute("stamp", stamp(stored.id()));
        if (stored.message() != null) {
            // §3.2: a message that can no longer be read is sent without its <message/>.
            Element copy = Forwarded.copy(stored.message().getElement());
            // Copies stored since UIDs are derived from the order key lack the archive's own stanza-id
            // (XEP-0359): it is the result's id, put back as the stanza had it when delivered.
            if (StanzaIds.find(copy, to.asBareJID()) == null) {
                StanzaIds.add(copy, to.asBareJID(), stored.sid());
            }
            forwarded.add(copy);
        }
        return m;
    }

    /**
     * The {@code <fin/>} (XEP-0313 §4.3). The count and the first item's index (XEP-0059 §2.2) are
     * exact when the result set has at most {@link #EXACT_COUNT_LIMIT} messages, and left out
     * otherwise ("only if it would be ... exceptionally resource intensive to calculate"); at most
     * one counting query runs for the common pages: the first page's index is 0 and the last
     * page's is the count less the page.
     */
    private IQ fin(IQ request, MamQuery q, MamStore.Selection selection, List<MamStore.Stored> page, boolean complete) {
        IQ result = IQ.createResultIQ(request);
        Element fin = result.setChildElement("fin", MamQuery.NS);
        fin.addAttribute("complete", Boolean.toString(complete));
        fin.addAttribute("stable", "true");
        Element set = fin.addElement(QName.get("set", MamQuery.RSM));
        long count = store.countUpTo(selection, null, EXACT_COUNT_LIMIT);
        boolean exact = count <= EXACT_COUNT_LIMIT;
        if (!page.isEmpty()) {
            Element first = set.addElement("first");
            first.setText(page.get(0).sid());
            if (exact) {
                long index;
                if (q.after() == null && !q.backwards()) {
                    index = 0;
                } else if (q.backwards() && q.before().isEmpty() && q.after() == null) {
                    index = count - page.size();
                } else {
                    index = store.countUpTo(selection, page.get(0).id(), EXACT_COUNT_LIMIT);
                }
                first.addAttribute("index", Long.toString(index));
            }
            set.addElement("last").setText(page.get(page.size() - 1).sid());
        }
        if (exact) {
            set.addElement("count").setText(Long.toString(count));
        }
        return result;
    }

    static String stamp(long id) {
        return DateTimeFormatter.ISO_INSTANT.format(MamIds.stampOf(id));
    }
}
