package im.tongyou.server.feature.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.AccountException;
import im.tongyou.api.Accounts;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.CommandAction;
import im.tongyou.api.commands.CommandNote;
import im.tongyou.api.commands.CommandRequest;
import im.tongyou.api.commands.CommandResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.xmpp.forms.DataForm;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

/** The XEP-0133 commands' forms and validation, on an in-memory account table. */
class AdminCommandsTest {

    static final JID ADMIN = new JID("prince@example.net/court");

    /** Accounts in a map: name to [password, enabled]. */
    static final class MemoryAccounts implements Accounts {
        final Map<String, Object[]> rows = new TreeMap<>();

        @Override
        public boolean exists(String username) {
            return rows.containsKey(username);
        }

        @Override
        public void create(String username, char[] password) throws AccountException {
            if (rows.putIfAbsent(username, new Object[] {new String(password), true}) != null) {
                throw new AccountException(AccountException.Reason.USERNAME_TAKEN, "taken");
            }
        }

        @Override
        public void setPassword(String username, char[] password) throws AccountException {
            row(username)[0] = new String(password);
        }

        @Override
        public boolean delete(String username) {
            return rows.remove(username) != null;
        }

        @Override
        public void setEnabled(String username, boolean enabled) throws AccountException {
            row(username)[1] = enabled;
        }

        @Override
        public boolean isEnabled(String username) {
            return exists(username) && (Boolean) rows.get(username)[1];
        }

        @Override
        public im.tongyou.api.AccountState state(String username) {
            return exists(username) ? im.tongyou.api.AccountState.ACTIVE : null;
        }

        @Override
        public void setState(String username, im.tongyou.api.AccountState state) {
            throw new UnsupportedOperationException("not needed by the admin commands");
        }

        @Override
        public List<String> list(int offset, int limit) {
            return List.copyOf(rows.keySet());
        }

        @Override
        public long count() {
            return rows.size();
        }

        private Object[] row(String username) throws AccountException {
            Object[] row = rows.get(username);
            if (row == null) {
                throw new AccountException(AccountException.Reason.NO_SUCH_ACCOUNT, "none");
            }
            return row;
        }
    }

    final MemoryAccounts accounts = new MemoryAccounts();

    static CommandResult run(AdminCommand command, Map<String, List<String>> answers) throws StanzaErrorException {
        CommandResult.Executing stage = (CommandResult.Executing) command.start(
                new CommandRequest(ADMIN, CommandAction.EXECUTE, 0, null, new HashMap<>()));
        DataForm submit = new DataForm(DataForm.Type.submit);
        submit.addField("FORM_TYPE", null, null).addValue(AdminForms.NS);
        answers.forEach((var, values) -> values.forEach(v -> {
            if (submit.getField(var) == null) {
                submit.addField(var, null, null);
            }
            submit.getField(var).addValue(v);
        }));
        assertThat(stage.form().getField("FORM_TYPE").getFirstValue()).isEqualTo(AdminForms.NS);
        return command.submit(new CommandRequest(ADMIN, CommandAction.COMPLETE, 0, submit, new HashMap<>()));
    }

    static void assertBadPayload(ThrowingCall call, String text) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StanzaErrorException.class, e -> {
            assertThat(e.condition()).isEqualTo(PacketError.Condition.bad_request);
            assertThat(e.toPacketError().getApplicationConditionName()).isEqualTo("bad-payload");
            assertThat(e.text()).contains(text);
        });
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void addUserChecksTheJidThePasswordsAndTheName() throws Exception {
        AddUserCommand add = new AddUserCommand(accounts, "example.net", j -> true);
        assertThat(add.node()).isEqualTo("http://jabber.org/protocol/admin#add-user");
        assertBadPayload(() -> run(add, Map.of("accountjid", List.of("juliet@elsewhere.org"),
                "password", List.of("s3cret-pass"))), "bare JID of example.net");
        assertBadPayload(() -> run(add, Map.of("accountjid", List.of("juliet@example.net/balcony"),
                "password", List.of("s3cret-pass"))), "bare JID");
        assertBadPayload(() -> run(add, Map.of("accountjid", List.of("juliet@example.net"),
                "password", List.of("s3cret-pass"), "password-verify", List.of("other-pass"))), "differ");
        assertBadPayload(() -> run(add, Map.of("accountjid", List.of("13800138000@example.net"),
                "password", List.of("s3cret-pass"))), "phone number");
        assertBadPayload(() -> run(add, Map.of("accountjid", List.of("juliet@example.net"))), "password");
        assertThat(accounts.rows).isEmpty();

        run(add, Map.of("accountjid", List.of("juliet@example.net"), "password", List.of("s3cret-pass"),
                "password-verify", List.of("s3cret-pass")));
        assertThat(accounts.rows.get("juliet")[0]).isEqualTo("s3cret-pass");
    }

    @Test
    void deleteNamesTheJidsItCouldNotHandle() throws Exception {
        accounts.create("romeo", "montague".toCharArray());
        AccountsCommand delete = new AccountsCommand(AccountsCommand.Operation.DELETE, accounts, "example.net", j -> true);
        CommandResult.Completed done = (CommandResult.Completed) run(delete, Map.of("accountjids",
                List.of("romeo@example.net", "ghost@example.net", "romeo@elsewhere.org")));
        assertThat(accounts.rows).isEmpty();
        assertThat(done.notes()).extracting(CommandNote::type).containsExactly(CommandNote.Type.INFO, CommandNote.Type.ERROR);
        assertThat(done.notes().get(1).text()).contains("ghost@example.net", "romeo@elsewhere.org");
    }

    @Test
    void changePasswordOfAnUnknownAccountIsItemNotFound() {
        ChangePasswordCommand change = new ChangePasswordCommand(accounts, "example.net", j -> true);
        assertThatThrownBy(() -> run(change, Map.of("accountjid", List.of("ghost@example.net"),
                "password", List.of("s3cret-pass")))).isInstanceOfSatisfying(StanzaErrorException.class,
                        e -> assertThat(e.condition()).isEqualTo(PacketError.Condition.item_not_found));
    }

    @Test
    void aFormOfAnotherTypeIsABadPayload() throws Exception {
        AnnounceCommand announce = new AnnounceCommand(null, null, "example.net", j -> true);
        DataForm wrong = new DataForm(DataForm.Type.submit);
        wrong.addField("FORM_TYPE", null, null).addValue("urn:other");
        assertBadPayload(() -> announce.submit(new CommandRequest(ADMIN, CommandAction.COMPLETE, 0, wrong,
                new HashMap<>())), "not of type");
        assertBadPayload(() -> announce.submit(new CommandRequest(ADMIN, CommandAction.COMPLETE, 0, null,
                new HashMap<>())), "submit the form");
        assertThat(announce.isAllowed(ADMIN)).isTrue();
        assertThat(new AnnounceCommand(null, null, "example.net", j -> false).isAllowed(ADMIN)).isFalse();
    }
}
