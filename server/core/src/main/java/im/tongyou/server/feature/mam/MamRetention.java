package im.tongyou.server.feature.mam;

import im.tongyou.api.StanzaErrorException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.IQ;
import org.xmpp.packet.PacketError;

/**
 * How long archives keep messages, and purging on demand ({@code urn:tongyou:mam-retention:0},
 * xeps/tongyou-mam-retention.md): the server's period, a shorter one a user may choose, and the
 * scheduled job that deletes what is older. Deleting only the oldest messages keeps archives free
 * of holes (XEP-0313 §3.2: "Any such deleted messages MUST be the oldest in the archive").
 */
final class MamRetention {

    static final String NS = "urn:tongyou:mam-retention:0";
    private static final Logger log = LoggerFactory.getLogger(MamRetention.class);
    private static final int PURGE_CHUNK = 10_000;

    private final MamStore store;
    private final MamPrefsStore prefs;
    private final Clock clock;
    private final int serverDays;
    private final Runnable writesBehind;

    /** @param writesBehind returns once every message archived so far is stored */
    MamRetention(MamStore store, MamPrefsStore prefs, Clock clock, int serverDays, Runnable writesBehind) {
        this.writesBehind = writesBehind;
        this.store = store;
        this.prefs = prefs;
        this.clock = clock;
        this.serverDays = serverDays;
    }

    /** The scheduled job: deletes what is past the server's period, then past each user's own; returns how many. */
    long enforce() {
        writesBehind.run(); // what was archived before now is subject to the periods too
        Instant now = clock.instant();
        long total = store.purges().purgeAll(cutoff(now, serverDays), PURGE_CHUNK);
        for (Map.Entry<String, Integer> user : prefs.customRetention().entrySet()) {
            if (user.getValue() < serverDays) {
                total += store.purges().purge(user.getKey(), cutoff(now, user.getValue()));
            }
        }
        if (total > 0) {
            log.info("deleted {} archived messages past their retention", total);
        }
        MamStore.Stored oldest = store.oldest();
        if (oldest != null) {
            log.debug("the oldest archived message is {} old", Duration.between(MamIds.stampOf(oldest.id()), now));
        }
        return total;
    }

    private static long cutoff(Instant now, int days) {
        return MamIds.firstIdAt(now.minus(Duration.ofDays(days)).toEpochMilli());
    }

    /** IQ get {@code <retention/>}: the period in effect for the user and the server's. */
    IQ get(IQ request) {
        IQ result = IQ.createResultIQ(request);
        result.setChildElement(element(request.getFrom().getNode()));
        return result;
    }

    /** IQ set {@code <retention days='N'/>}: a shorter period, or the server's without 'days'. */
    IQ set(IQ request) throws StanzaErrorException {
        String owner = request.getFrom().getNode();
        String value = request.getChildElement().attributeValue("days");
        Integer days = null;
        if (value != null) {
            try {
                days = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw StanzaErrorException.badRequest("'days' must be a whole number of days");
            }
            if (days < 1) {
                throw StanzaErrorException.badRequest("'days' must be at least 1");
            }
            if (days > serverDays) {
                throw new StanzaErrorException(PacketError.Condition.not_acceptable, null,
                        "this server keeps messages at most " + serverDays + " days",
                        DocumentHelper.createElement(QName.get("too-long", NS)));
            }
            if (days == serverDays) {
                days = null;
            }
        }
        prefs.setRetentionDays(owner, days);
        if (days != null) {
            writesBehind.run();
            store.purges().purge(owner, cutoff(clock.instant(), days)); // takes effect at once
        }
        IQ result = IQ.createResultIQ(request);
        result.setChildElement(element(owner));
        return result;
    }

    /** IQ set {@code <purge/>}: deletes the user's archive, or the part before 'before'. */
    IQ purge(IQ request) throws StanzaErrorException {
        String owner = request.getFrom().getNode();
        String before = request.getChildElement().attributeValue("before");
        long beforeId = Long.MAX_VALUE;
        if (before != null) {
            try {
                beforeId = MamIds.firstIdFrom(OffsetDateTime.parse(before.trim()).toInstant());
            } catch (DateTimeParseException e) {
                throw StanzaErrorException.badRequest("'before' must be an XEP-0082 date and time");
            }
        }
        writesBehind.run(); // what was archived before the request goes too
        int purged = store.purges().purge(owner, beforeId);
        log.info("a user purged {} messages from their archive", purged);
        IQ result = IQ.createResultIQ(request);
        result.setChildElement("purged", NS).addAttribute("count", Integer.toString(purged));
        return result;
    }

    private Element element(String owner) {
        Integer chosen = prefs.settings(owner).retentionDays();
        Element e = DocumentHelper.createElement(QName.get("retention", NS));
        e.addAttribute("days", Integer.toString(chosen == null ? serverDays : Math.min(chosen, serverDays)));
        e.addAttribute("server-days", Integer.toString(serverDays));
        return e;
    }
}
