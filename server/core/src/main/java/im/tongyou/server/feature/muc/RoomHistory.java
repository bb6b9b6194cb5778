package im.tongyou.server.feature.muc;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.dom4j.Element;
import org.xmpp.packet.Message;

/**
 * A room's discussion history (XEP-0045 §7.2.13), kept in memory only and bounded: messages are
 * never logged to storage. Guarded by the room's lock.
 */
final class RoomHistory {

    /**
     * A message as the room reflected it (from the sender's occupant JID, without 'to').
     *
     * @param message    the reflected message
     * @param at         when the room received it
     * @param senderBare the sender's bare JID, so that an erased account's messages can be dropped
     * @param chars      the size of its XML, for the 'maxchars' limit
     */
    record Entry(Message message, Instant at, String senderBare, int chars) {
    }

    /**
     * What a newcomer asked for with {@code <history/>} (§7.2.14); {@code null} fields are not limited.
     */
    record Request(Integer maxChars, Integer maxStanzas, Integer seconds, Instant since) {

        static final Request ALL = new Request(null, null, null, null);

        /** Reads the element; unparsable attributes are ignored, as if absent. */
        static Request from(Element history) {
            if (history == null) {
                return ALL;
            }
            Instant since = null;
            String s = history.attributeValue("since");
            if (s != null) {
                try {
                    since = Instant.parse(s);
                } catch (DateTimeParseException e) {
                    since = null;
                }
            }
            return new Request(number(history, "maxchars"), number(history, "maxstanzas"),
                    number(history, "seconds"), since);
        }

        private static Integer number(Element e, String attribute) {
            String v = e.attributeValue(attribute);
            if (v == null) {
                return null;
            }
            try {
                return Math.max(0, Integer.parseInt(v.trim()));
            } catch (NumberFormatException ex) {
                return null;
            }
        }
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private int capacity;

    RoomHistory(int capacity) {
        this.capacity = capacity;
    }

    /** Changes how many messages are kept, dropping the oldest beyond it. */
    void capacity(int newCapacity) {
        this.capacity = newCapacity;
        trim();
    }

    void add(Message reflected, Instant at, String senderBare) {
        if (capacity == 0) {
            return;
        }
        Message copy = reflected.createCopy();
        copy.setTo((org.xmpp.packet.JID) null);
        entries.addLast(new Entry(copy, at, senderBare, copy.toXML().length()));
        trim();
    }

    /** Forgets every message of one user (account erasure). */
    void removeSender(String senderBare) {
        entries.removeIf(e -> e.senderBare().equals(senderBare));
    }

    int size() {
        return entries.size();
    }

    /**
     * The history to send: "the smallest amount of traffic that meets any combination of the above
     * criteria" (§7.2.14), complete stanzas only, oldest first.
     */
    List<Entry> select(Request request, Instant now) {
        Instant after = request.since();
        if (request.seconds() != null) {
            Instant bySeconds = now.minus(Duration.ofSeconds(request.seconds()));
            after = after == null || bySeconds.isAfter(after) ? bySeconds : after;
        }
        int stanzas = request.maxStanzas() == null ? Integer.MAX_VALUE : request.maxStanzas();
        int chars = request.maxChars() == null ? Integer.MAX_VALUE : request.maxChars();
        List<Entry> picked = new ArrayList<>();
        long total = 0;
        for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext() && picked.size() < stanzas; ) {
            Entry e = it.next();
            if (after != null && e.at().isBefore(after)) {
                break;
            }
            total += e.chars();
            if (total > chars) {
                break;
            }
            picked.add(0, e);
        }
        return picked;
    }

    private void trim() {
        while (entries.size() > capacity) {
            entries.removeFirst();
        }
    }
}
