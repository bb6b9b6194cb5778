package im.tongyou.server.feature.adhoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.AdHocCommand;
import im.tongyou.api.commands.CommandAction;
import im.tongyou.api.commands.CommandNote;
import im.tongyou.api.commands.CommandRequest;
import im.tongyou.api.commands.CommandResult;
import im.tongyou.server.TestClock;
import im.tongyou.server.routing.CommandRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

/** The ad-hoc command framework (XEP-0050 §3.4, §4.6) with hand-written commands. */
class AdHocIqHandlerTest {

    static final JID ROMEO = new JID("romeo@example.net/balcony");
    static final JID JULIET = new JID("juliet@example.net/chamber");

    /** Two stages (name, then age) and a result echoing both; records what it was asked. */
    static final class Wizard implements AdHocCommand {
        final List<CommandRequest> requests = new ArrayList<>();

        @Override
        public String node() {
            return "wizard";
        }

        @Override
        public String name() {
            return "Wizard";
        }

        @Override
        public boolean isAllowed(JID requester) {
            return !requester.getNode().equals("juliet");
        }

        @Override
        public CommandResult start(CommandRequest request) {
            requests.add(request);
            return CommandResult.nextStage(form("name"));
        }

        @Override
        public CommandResult submit(CommandRequest request) throws StanzaErrorException {
            requests.add(request);
            if (request.form() == null) {
                throw StanzaErrorException.badRequest("no form");
            }
            if (request.stage() == 0) {
                request.data().put("name", request.form().getField("name").getFirstValue());
                return CommandResult.lastStage(form("age"));
            }
            DataForm result = new DataForm(DataForm.Type.result);
            result.addField("summary", null, FormField.Type.text_single)
                    .addValue(request.data().get("name") + " " + request.form().getField("age").getFirstValue());
            return CommandResult.completed(result, CommandNote.info("done"));
        }

        private static DataForm form(String var) {
            DataForm form = new DataForm(DataForm.Type.form);
            form.addField(var, var, FormField.Type.text_single);
            return form;
        }
    }

    final TestClock clock = new TestClock();
    final CommandRegistry registry = new CommandRegistry();
    final Wizard wizard = new Wizard();
    final AdHocSessions sessions = new AdHocSessions(clock, Duration.ofMinutes(10), 2);
    final AdHocIqHandler handler = new AdHocIqHandler(registry, sessions);

    AdHocIqHandlerTest() {
        registry.add(wizard, "test");
    }

    IQ request(JID from, String sessionId, String action, String field, String value) {
        IQ iq = new IQ(IQ.Type.set);
        iq.setFrom(from);
        iq.setTo("example.net");
        Element command = iq.setChildElement("command", AdHocElement.NS).addAttribute("node", "wizard");
        if (sessionId != null) {
            command.addAttribute("sessionid", sessionId);
        }
        if (action != null) {
            command.addAttribute("action", action);
        }
        if (field != null) {
            DataForm form = new DataForm(DataForm.Type.submit);
            form.addField(field, null, null).addValue(value);
            command.add(form.getElement());
        }
        return iq;
    }

    Element execute(IQ request) throws StanzaErrorException {
        IQ reply = handler.execute(request);
        assertThat(reply.getType()).isEqualTo(IQ.Type.result);
        return reply.getChildElement();
    }

    static List<String> actions(Element command) {
        Element actions = command.element("actions");
        return actions == null ? List.of() : actions.elements().stream().map(Element::getName).toList();
    }

    static void assertError(ThrowingCall call, PacketError.Condition condition, String specific) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StanzaErrorException.class, e -> {
            assertThat(e.condition()).isEqualTo(condition);
            Element error = e.toPacketError().getElement();
            if (specific == null) {
                assertThat(error.elements().stream().filter(x -> AdHocElement.NS.equals(x.getNamespaceURI()))).isEmpty();
            } else {
                assertThat(error.element(org.dom4j.QName.get(specific, AdHocElement.NS))).as(error.asXML()).isNotNull();
            }
        });
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aSessionGoesThroughItsStagesWithExecuteAsTheDefaultAction() throws Exception {
        Element first = execute(request(ROMEO, null, null, null, null));
        String id = first.attributeValue("sessionid");
        assertThat(id).isNotBlank();
        assertThat(first.attributeValue("status")).isEqualTo("executing");
        assertThat(first.element("actions").attributeValue("execute")).isEqualTo("next");
        assertThat(actions(first)).containsExactly("next");

        Element second = execute(request(ROMEO, id, "execute", "name", "Romeo"));
        assertThat(second.element("actions").attributeValue("execute")).isEqualTo("complete");
        assertThat(actions(second)).containsExactly("prev", "complete");

        Element done = execute(request(ROMEO, id, "complete", "age", "16"));
        assertThat(done.attributeValue("status")).isEqualTo("completed");
        assertThat(done.element("actions")).isNull();
        assertThat(done.elementText("note")).isEqualTo("done");
        assertThat(done.element("x").element("field").elementText("value")).isEqualTo("Romeo 16");
        assertThat(wizard.requests).extracting(CommandRequest::action)
                .containsExactly(CommandAction.EXECUTE, CommandAction.NEXT, CommandAction.COMPLETE);
        assertThat(sessions.size()).isZero();
        assertError(() -> handler.execute(request(ROMEO, id, "complete", "age", "17")),
                PacketError.Condition.not_allowed, "session-expired");
    }

    @Test
    void prevShowsTheEarlierStageAgain() throws Exception {
        String id = execute(request(ROMEO, null, null, null, null)).attributeValue("sessionid");
        execute(request(ROMEO, id, "next", "name", "Romeo"));
        Element back = execute(request(ROMEO, id, "prev", null, null));
        assertThat(back.element("x").element("field").attributeValue("var")).isEqualTo("name");
        assertThat(actions(back)).containsExactly("next");
        assertError(() -> handler.execute(request(ROMEO, id, "prev", null, null)),
                PacketError.Condition.bad_request, "bad-action");
        Element again = execute(request(ROMEO, id, "next", "name", "Montague"));
        assertThat(again.element("x").element("field").attributeValue("var")).isEqualTo("age");
    }

    @Test
    void actionsTheStageDoesNotAllowAreBadActions() throws Exception {
        String id = execute(request(ROMEO, null, null, null, null)).attributeValue("sessionid");
        assertError(() -> handler.execute(request(ROMEO, id, "complete", "name", "x")),
                PacketError.Condition.bad_request, "bad-action");
        assertError(() -> handler.execute(request(ROMEO, id, "jump", null, null)),
                PacketError.Condition.bad_request, "malformed-action");
        assertError(() -> handler.execute(request(ROMEO, null, "next", null, null)),
                PacketError.Condition.bad_request, "bad-sessionid");
    }

    @Test
    void cancelEndsTheSession() throws Exception {
        String id = execute(request(ROMEO, null, null, null, null)).attributeValue("sessionid");
        Element canceled = execute(request(ROMEO, id, "cancel", null, null));
        assertThat(canceled.attributeValue("status")).isEqualTo("canceled");
        assertThat(canceled.attributeValue("sessionid")).isEqualTo(id);
        assertError(() -> handler.execute(request(ROMEO, id, "next", "name", "x")),
                PacketError.Condition.not_allowed, "session-expired");
    }

    @Test
    void sessionsExpireWhenIdleAndBelongToOneRequester() throws Exception {
        String id = execute(request(ROMEO, null, null, null, null)).attributeValue("sessionid");
        assertError(() -> handler.execute(request(new JID("romeo@example.net/other"), id, "next", "name", "x")),
                PacketError.Condition.bad_request, "bad-sessionid");
        assertError(() -> handler.execute(request(ROMEO, "forged", "next", "name", "x")),
                PacketError.Condition.bad_request, "bad-sessionid");
        clock.advance(Duration.ofMinutes(9));
        execute(request(ROMEO, id, "next", "name", "Romeo")); // activity restarts the idle time
        clock.advance(Duration.ofMinutes(10));
        assertError(() -> handler.execute(request(ROMEO, id, "complete", "age", "16")),
                PacketError.Condition.not_allowed, "session-expired");
    }

    @Test
    void aRequesterHasALimitedNumberOfSessionsAndLosesThemWhenItsStreamCloses() throws Exception {
        execute(request(ROMEO, null, null, null, null));
        String second = execute(request(ROMEO, null, null, null, null)).attributeValue("sessionid");
        assertError(() -> handler.execute(request(ROMEO, null, null, null, null)),
                PacketError.Condition.resource_constraint, null);
        sessions.endAllOf(ROMEO);
        assertThat(sessions.size()).isZero();
        assertError(() -> handler.execute(request(ROMEO, second, "next", "name", "x")),
                PacketError.Condition.not_allowed, "session-expired");
    }

    @Test
    void unknownAndForbiddenCommands() {
        IQ unknown = request(ROMEO, null, null, null, null);
        unknown.getChildElement().addAttribute("node", "nothing");
        assertError(() -> handler.execute(unknown), PacketError.Condition.item_not_found, null);
        assertError(() -> handler.execute(request(JULIET, null, null, null, null)), PacketError.Condition.forbidden,
                null);
        assertThat(sessions.size()).isZero();
    }

    @Test
    void aStageErrorKeepsTheSessionAtItsStage() throws Exception {
        String id = execute(request(ROMEO, null, null, null, null)).attributeValue("sessionid");
        assertError(() -> handler.execute(request(ROMEO, id, "next", null, null)), PacketError.Condition.bad_request,
                null);
        Element next = execute(request(ROMEO, id, "next", "name", "Romeo"));
        assertThat(next.element("x").element("field").attributeValue("var")).isEqualTo("age");
    }

    @Test
    void theDiscoNodesListOnlyAllowedCommands() throws Exception {
        AdHocDiscoNodes nodes = new AdHocDiscoNodes(registry, "example.net");
        assertThat(nodes.items(ROMEO, AdHocElement.NS).orElseThrow()).extracting(i -> i.node()).containsExactly("wizard");
        assertThat(nodes.items(JULIET, AdHocElement.NS).orElseThrow()).isEmpty();
        assertThat(nodes.info(ROMEO, "wizard").orElseThrow().identities().get(0).type()).isEqualTo("command-node");
        assertError(() -> nodes.info(JULIET, "wizard"), PacketError.Condition.forbidden, null);
        assertThat(nodes.info(ROMEO, "other")).isEmpty();
    }
}
