package im.tongyou.server.feature.mam;

import static im.tongyou.server.feature.mam.MamFixture.chat;
import static im.tongyou.server.feature.mam.MamFixture.iq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.server.feature.RecordingSessions;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Message;
import org.xmpp.packet.PacketError;

/**
 * Archive queries (XEP-0313 §4, §5) with result set management (XEP-0059): paging both ways with
 * exact counts and indexes, the filters, flipped pages, errors; on H2 and PostgreSQL.
 */
class MamQueryTest {

    @TempDir
    Path dir;
    MamFixture f;
    RecordingSessions.Session phone;

    /** Romeo and Juliet exchange 500 messages, one a second, with a word from Mercutio every 50. */
    void open(TestDatabases.Kind kind) throws Exception {
        f = new MamFixture(kind, dir, MamPrefs.Mode.ALWAYS, 200, 180);
        phone = f.sessions.bind("romeo@tongyou.example/phone");
        for (int i = 0; i < 500; i++) {
            f.clock.advance(Duration.ofSeconds(1));
            f.route(i % 2 == 0 ? chat("romeo@tongyou.example/phone", "juliet", "r" + i)
                    : chat("juliet@tongyou.example/balcony", "romeo", "j" + i));
            if (i % 50 == 49) {
                f.route(chat("mercutio@tongyou.example/street", "romeo", "m" + i));
            }
        }
    }

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    /** Runs a query as Romeo's phone: the results sent to it, and the fin. */
    record Page(List<Message> results, Element fin) {
        List<String> bodies() {
            return results.stream().map(m -> forwarded(m).elementText("body")).toList();
        }

        List<String> ids() {
            return results.stream().map(m -> m.getElement().element("result").attributeValue("id")).toList();
        }

        String rsm(String name) {
            return fin.element(QName.get("set", MamQuery.RSM)).elementText(name);
        }

        String firstIndex() {
            Element first = fin.element(QName.get("set", MamQuery.RSM)).element("first");
            return first == null ? null : first.attributeValue("index");
        }

        boolean complete() {
            return Boolean.parseBoolean(fin.attributeValue("complete"));
        }
    }

    static Element forwarded(Message m) {
        return m.getElement().element("result").element("forwarded").element("message");
    }

    Page query(String form, String rsm) throws Exception {
        return query(form, rsm, "");
    }

    Page query(String form, String rsm, String extra) throws Exception {
        phone.sent.clear();
        String x = form.isEmpty() ? "" : "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'>"
                + "<value>urn:xmpp:mam:2</value></field>" + form + "</x>";
        IQ request = iq("romeo@tongyou.example/phone", "<iq type='set' id='q1'><query xmlns='urn:xmpp:mam:2' queryid='f27'>"
                + x + (rsm.isEmpty() ? "" : "<set xmlns='http://jabber.org/protocol/rsm'>" + rsm + "</set>") + extra
                + "</query></iq>");
        IQ result = f.handler.query(request);
        assertThat(result.getType()).isEqualTo(IQ.Type.result);
        List<Message> results = MamFixture.messages(phone.sent);
        results.forEach(m -> assertThat(m.getElement().element("result").attributeValue("queryid")).isEqualTo("f27"));
        return new Page(results, result.getChildElement());
    }

    static String with(String jid) {
        return "<field var='with'><value>" + jid + "</value></field>";
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void pagingForwardThroughAConversationGivesEveryMessageOnceInOrderWithExactCounts(TestDatabases.Kind kind) throws Exception {
        open(kind);
        List<String> all = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 5; page++) {
            Page p = query(with("juliet@tongyou.example"), "<max>100</max>" + (after == null ? "" : "<after>" + after + "</after>"));
            assertThat(p.results()).hasSize(100);
            assertThat(p.rsm("count")).isEqualTo("500");
            assertThat(p.firstIndex()).isEqualTo(Integer.toString(page * 100));
            assertThat(p.complete()).isEqualTo(page == 4);
            assertThat(p.rsm("first")).isEqualTo(p.ids().get(0));
            assertThat(p.rsm("last")).isEqualTo(p.ids().get(99));
            assertThat(p.fin.attributeValue("stable")).isEqualTo("true");
            all.addAll(p.bodies());
            after = p.rsm("last");
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            expected.add((i % 2 == 0 ? "r" : "j") + i);
        }
        assertThat(all).containsExactlyElementsOf(expected);
        Page empty = query(with("juliet@tongyou.example"), "<max>100</max><after>" + after + "</after>");
        assertThat(empty.results()).isEmpty();
        assertThat(empty.complete()).isTrue();
        assertThat(empty.rsm("first")).isNull();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void pagingBackwardFromTheLastPageGivesChronologicalPagesAndCompletesAtTheStart(TestDatabases.Kind kind) throws Exception {
        open(kind);
        List<String> all = new ArrayList<>();
        String before = "";
        for (int page = 0; page < 4; page++) {
            Page p = query(with("juliet@tongyou.example"), "<max>150</max><before>" + before + "</before>");
            assertThat(p.rsm("count")).isEqualTo("500");
            assertThat(p.results()).hasSize(page < 3 ? 150 : 50);
            assertThat(p.firstIndex()).isEqualTo(Integer.toString(Math.max(0, 350 - page * 150)));
            assertThat(p.complete()).isEqualTo(page == 3);
            all.addAll(0, p.bodies());
            before = p.rsm("first");
        }
        assertThat(all).hasSize(500).startsWith("r0", "j1").endsWith("r498", "j499").doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void theWholeArchiveAndTheFilters(TestDatabases.Kind kind) throws Exception {
        open(kind);
        Page whole = query("", "<max>0</max>");
        assertThat(whole.results()).isEmpty();
        assertThat(whole.rsm("count")).isEqualTo("510");
        assertThat(query("", "").results()).as("the server's page size").hasSize(200);

        Page mercutio = query(with("mercutio@tongyou.example"), "");
        assertThat(mercutio.bodies()).hasSize(10).startsWith("m49").endsWith("m499");
        assertThat(mercutio.complete()).isTrue();
        assertThat(query(with("mercutio@tongyou.example/street"), "").results()).hasSize(10);
        assertThat(query(with("mercutio@tongyou.example/other"), "").results()).isEmpty();

        // Time: message i was archived at 2026-11-29T00:00:00Z plus i + 1 seconds.
        Page window = query(with("juliet@tongyou.example")
                + "<field var='start'><value>2026-11-29T00:00:11Z</value></field>"
                + "<field var='end'><value>2026-11-29T00:00:20+00:00</value></field>", "");
        assertThat(window.bodies()).containsExactly("r10", "j11", "r12", "j13", "r14", "j15", "r16", "j17", "r18", "j19");

        List<String> ids = query(with("juliet@tongyou.example"), "<max>10</max>").ids();
        Page between = query(with("juliet@tongyou.example") + "<field var='after-id'><value>" + ids.get(2) + "</value></field>"
                + "<field var='before-id'><value>" + ids.get(6) + "</value></field>", "");
        assertThat(between.bodies()).containsExactly("j3", "r4", "j5");
        assertThat(between.rsm("count")).isEqualTo("3");
        Page picked = query("<field var='ids'><value>" + ids.get(7) + "</value><value>" + ids.get(1) + "</value></field>", "");
        assertThat(picked.bodies()).containsExactly("j1", "j7");
        Page flipped = query(with("juliet@tongyou.example"), "<max>3</max>", "<flip-page/>");
        assertThat(flipped.bodies()).containsExactly("r2", "j1", "r0");
        assertThat(flipped.rsm("first")).isEqualTo(ids.get(0));
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void unknownIdsAndFieldsAreErrors(TestDatabases.Kind kind) throws Exception {
        open(kind);
        assertCondition(() -> query("", "<after>no-such-id</after>"), PacketError.Condition.item_not_found);
        assertCondition(() -> query("<field var='before-id'><value>nope</value></field>", ""), PacketError.Condition.item_not_found);
        assertCondition(() -> query("<field var='ids'><value>nope</value></field>", ""), PacketError.Condition.item_not_found);
        assertCondition(() -> query("<field var='{urn:example}free-text'><value>x</value></field>", ""),
                PacketError.Condition.feature_not_implemented);
        assertCondition(() -> query("<field var='start'><value>yesterday</value></field>", ""), PacketError.Condition.bad_request);
        assertCondition(() -> query("", "<index>10</index>"), PacketError.Condition.feature_not_implemented);
        // Juliet's ids are not in Romeo's archive.
        f.writer.fence();
        String julietsId = f.store.page(MamStore.Selection.all("juliet"), null, null, false, 1)
                .get(0).sid();
        assertCondition(() -> query("", "<after>" + julietsId + "</after>"), PacketError.Condition.item_not_found);
        assertCondition(() -> f.handler.forbidden(iq("juliet@tongyou.example/b", "<iq type='set' id='x'><query xmlns='urn:xmpp:mam:2'/></iq>")),
                PacketError.Condition.forbidden);
    }

    interface Call {
        Object run() throws Exception;
    }

    static void assertCondition(Call call, PacketError.Condition condition) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StanzaErrorException.class,
                e -> assertThat(e.condition()).isEqualTo(condition));
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void resultsAreForwardedWithTheirDelayAndTheMetadataNamesTheEnds(TestDatabases.Kind kind) throws Exception {
        open(kind);
        Message first = query("", "<max>1</max>").results().get(0);
        assertThat(first.getFrom().toString()).isEqualTo("romeo@tongyou.example");
        Element forwarded = first.getElement().element("result").element(QName.get("forwarded", MamIqHandler.FORWARD));
        assertThat(forwarded.element(QName.get("delay", MamIqHandler.DELAY)).attributeValue("stamp"))
                .isEqualTo("2026-11-29T00:00:01Z");
        assertThat(forwarded.element("message").attributeValue("from")).isEqualTo("romeo@tongyou.example/phone");
        assertThat(forwarded.element("message").getNamespaceURI()).isEqualTo("jabber:client");
        assertThat(forwarded.element("message").element("body").getNamespaceURI()).isEqualTo("jabber:client");

        IQ metadata = f.handler.metadata(iq("romeo@tongyou.example/phone", "<iq type='get' id='m'><metadata xmlns='urn:xmpp:mam:2'/></iq>"));
        Element start = metadata.getChildElement().element("start");
        Element end = metadata.getChildElement().element("end");
        assertThat(start.attributeValue("id")).isEqualTo(first.getElement().element("result").attributeValue("id"));
        assertThat(start.attributeValue("timestamp")).isEqualTo("2026-11-29T00:00:01Z");
        assertThat(end.attributeValue("timestamp")).isEqualTo("2026-11-29T00:08:20Z");
        IQ empty = f.handler.metadata(iq("benvolio@tongyou.example/x", "<iq type='get' id='m'><metadata xmlns='urn:xmpp:mam:2'/></iq>"));
        assertThat(empty.getChildElement().elements()).isEmpty();

        IQ form = f.handler.form(iq("romeo@tongyou.example/phone", "<iq type='get' id='f'><query xmlns='urn:xmpp:mam:2'/></iq>"));
        assertThat(form.getChildElement().element("x").elements("field")).extracting(e -> e.attributeValue("var"))
                .containsExactly("FORM_TYPE", "with", "start", "end", "before-id", "after-id", "ids");
    }
}
