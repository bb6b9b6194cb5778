package im.tongyou.server.feature.mam;

import im.tongyou.api.ClientSession;
import im.tongyou.api.Sessions;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.feature.StoredXml;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * The archive side of the benchmark (bench/README.md), in the archive's package to use its store and
 * query handler as the server does: a bulk fill of encrypted messages, and the time the server takes
 * to answer "the newest 50 messages of a conversation" (XEP-0313 query with RSM {@code <before/>}),
 * measured on the handler, the network left out.
 */
public final class ArchiveQueryBench {

    /** Milliseconds of a measured operation: median and 95th percentile over the runs. */
    public record Timing(double medianMillis, double p95Millis, int runs) {
    }

    private ArchiveQueryBench() {
    }

    /**
     * Inserts {@code total} messages into the owner's archive, spread over {@code contacts}
     * conversations (contact0 gets {@code share} of them), 1.001 s apart (a bucket each) ending at
     * {@code endMillis} (in sequence lane {@code lane} of each millisecond), each a
     * real chat stanza encrypted under the owner's key; batches of 5,000 rows per transaction.
     *
     * @return rows inserted per second
     */
    public static double fill(DataSource dataSource, Crypto crypto, String domain, String owner, int total,
                              int contacts, double share, long endMillis, int lane) throws Exception {
        long start = System.nanoTime();
        int every = (int) Math.round(1 / share);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<MamStore.Row> batch = new ArrayList<>(5000);
            // A thousand distinct stanzas per conversation side, reused (each bucket sealed as the
            // writer seals it): the query decrypts and parses real stanzas of the real size.
            byte[][] stanzasIn = new byte[1000][];
            byte[][] stanzasOut = new byte[1000][];
            for (int v = 0; v < 1000; v++) {
                stanzasIn[v] = stanza(domain, owner, "contact" + v % contacts + "@" + domain, false, v);
                stanzasOut[v] = stanza(domain, owner, "contact" + v % contacts + "@" + domain, true, v);
            }
            for (int i = 0; i < total; i++) {
                int contact = i % every == 0 ? 0 : 1 + i % (contacts - 1);
                String with = "contact" + contact + "@" + domain;
                boolean outgoing = i % 2 == 0;
                byte[] stanza = (outgoing ? stanzasOut : stanzasIn)[i % 1000];
                // A message every 1.001 s, so that every bucket holds one message: the worst case for
                // a query (an archive filled over years, not by a burst). Lanes keep archives' ids apart.
                long id = MamIds.firstIdAt(endMillis - (long) (total - i) * 1001) + lane;
                batch.add(new MamStore.Row(id, owner, with, "phone", null, outgoing, stanza));
                if (batch.size() == 5000) {
                    MamStore.insert(c, batch, crypto);
                    c.commit();
                    batch.clear();
                }
            }
            MamStore.insert(c, batch, crypto);
            c.commit();
        }
        return total / ((System.nanoTime() - start) / 1e9);
    }

    private static byte[] stanza(String domain, String owner, String with, boolean outgoing, int i) {
        Message m = new Message();
        m.setType(Message.Type.chat);
        m.setFrom(outgoing ? owner + "@" + domain + "/phone" : with + "/phone");
        m.setTo(outgoing ? with : owner + "@" + domain);
        m.setID("m" + i);
        m.setBody("Message number " + i + ": what light through yonder window breaks?");
        StanzaIds.add(m.getElement(), new JID(owner + "@" + domain), "uid-" + i);
        return StoredXml.toBytes(m.getElement());
    }

    /**
     * Times the server's answer to "the newest {@code page} messages with a contact" (the query
     * handler: index-only page, rows by key, decryption, count and index, result stanzas built and
     * handed to the session), after warming up.
     */
    public static Timing newestPage(DataSource dataSource, Crypto crypto, String domain, String owner, String with,
                                    int page, int warmup, int runs) throws Exception {
        MamStore store = new MamStore(dataSource, crypto);
        MamPrefsStore prefs = new MamPrefsStore(dataSource);
        JID client = new JID(owner + "@" + domain + "/bench");
        int[] delivered = new int[1];
        Sessions sessions = new OneSession(client, delivered);
        MamIqHandler handler = new MamIqHandler(store, prefs, MamPrefs.Mode.ALWAYS, sessions, 250, () -> { });
        String xml = "<iq type='set' id='q'><query xmlns='urn:xmpp:mam:2' queryid='bench'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mam:2</value>"
                + "</field><field var='with'><value>" + with + "</value></field></x>"
                + "<set xmlns='http://jabber.org/protocol/rsm'><max>" + page + "</max><before/></set></query></iq>";
        Element template = DocumentHelper.parseText(xml).getRootElement();
        double[] times = new double[runs];
        for (int i = -warmup; i < runs; i++) {
            IQ request = new IQ(template.createCopy(), true);
            request.setFrom(client);
            delivered[0] = 0;
            long t0 = System.nanoTime();
            IQ result = handler.query(request);
            long t1 = System.nanoTime();
            if (delivered[0] != page || result.getType() != IQ.Type.result) {
                throw new IllegalStateException("expected a page of " + page + ", got " + delivered[0]);
            }
            if (i >= 0) {
                times[i] = (t1 - t0) / 1e6;
            }
        }
        Arrays.sort(times);
        return new Timing(times[runs / 2], times[(int) Math.ceil(runs * 0.95) - 1], runs);
    }

    /**
     * Where the newest page's time goes, step by step as {@link MamIqHandler#query} takes them: the
     * page's ids from the index, the rows by key with decryption and parsing, the capped count of
     * {@code <fin/>}; medians in milliseconds over {@code runs}, and H2's EXPLAIN ANALYZE of the
     * two index reads (empty on PostgreSQL).
     */
    public static java.util.Map<String, Object> breakdown(DataSource dataSource, Crypto crypto, String owner,
                                                          String with, int page, int runs) throws Exception {
        MamStore store = new MamStore(dataSource, crypto);
        MamStore.Selection conversation = new MamStore.Selection(owner, with, null, 0, Long.MAX_VALUE, null);
        double[] rows = new double[runs];
        double[] count = new double[runs];
        for (int i = -runs / 3; i < runs; i++) {
            long t1 = System.nanoTime();
            List<MamStore.Stored> loaded = store.page(conversation, null, null, true, page + 1).subList(0, page);
            long t2 = System.nanoTime();
            long n = store.countUpTo(conversation, null, MamIqHandler.EXACT_COUNT_LIMIT);
            long t3 = System.nanoTime();
            if (loaded.size() != page || n < page) {
                throw new IllegalStateException("unexpected page");
            }
            if (i >= 0) {
                rows[i] = (t2 - t1) / 1e6;
                count[i] = (t3 - t2) / 1e6;
            }
        }
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("page: bucket keys from the index, buckets by key, decrypted and parsed", median(rows));
        out.put("count for <fin/> (capped at " + MamIqHandler.EXACT_COUNT_LIMIT + ")", median(count));
        try (Connection c = dataSource.getConnection()) {
            if (c.getMetaData().getURL().startsWith("jdbc:h2:")) {
                out.put("plan: bucket keys", explain(c, "EXPLAIN ANALYZE " + MamBucketScan.conversationPageSql(), owner, with));
            }
        }
        return out;
    }

    private static String explain(Connection c, String sql, String owner, String with) throws Exception {
        try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, owner);
            ps.setString(2, with);
            ps.setLong(3, 0);
            ps.setLong(4, Long.MAX_VALUE);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1).replaceAll("\\s+", " ");
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The querying client: counts the result stanzas it is sent. */
    private record OneSession(JID jid, int[] delivered) implements Sessions {
        @Override
        public List<ClientSession> of(String username) {
            return List.of();
        }

        @Override
        public Optional<ClientSession> get(JID fullJid) {
            return Optional.of(new SinkSession(jid, delivered));
        }

        @Override
        public int count() {
            return 1;
        }

        @Override
        public Collection<ClientSession> all() {
            return List.of();
        }
    }

    private record SinkSession(JID jid, int[] delivered) implements ClientSession {
        @Override
        public void send(org.xmpp.packet.Packet stanza) {
            // What the server would write to the socket: serialise it, as the encoder would.
            if (stanza.getElement().asXML().getBytes(StandardCharsets.UTF_8).length > 0) {
                delivered[0]++;
            }
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public org.xmpp.packet.Presence presence() {
            return null;
        }

        @Override
        public int priority() {
            return 0;
        }

        @Override
        public java.time.Instant boundAt() {
            return java.time.Instant.EPOCH;
        }

        @Override
        public java.net.InetSocketAddress remoteAddress() {
            return null;
        }

        @Override
        public <T> T get(im.tongyou.api.SessionKey<T> key) {
            return null;
        }

        @Override
        public <T> void set(im.tongyou.api.SessionKey<T> key, T value) {
        }

        @Override
        public void close(org.xmpp.packet.StreamError.Condition condition, String text) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }
}
