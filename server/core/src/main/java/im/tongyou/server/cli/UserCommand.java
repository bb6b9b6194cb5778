package im.tongyou.server.cli;

import im.tongyou.api.AccountException;
import im.tongyou.server.admin.AccountAdmin;
import im.tongyou.server.admin.LocalAccountAdmin;
import im.tongyou.server.admin.RemoteAccountAdmin;
import im.tongyou.server.config.ServerConfig;
import im.tongyou.server.storage.StorageException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tongyou user add|remove|passwd|list}: through the running server's admin socket when it
 * runs, otherwise on the database directly.
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manages accounts.",
        subcommands = {UserCommand.Add.class, UserCommand.Remove.class, UserCommand.Passwd.class, UserCommand.ListUsers.class})
final class UserCommand {

    @ParentCommand
    TongyouCli cli;

    /**
     * The running server's admin socket, or a headless server on the database when none runs. A
     * database locked by a server that is still starting is waited for (up to 30 s) rather than
     * reported as an error.
     */
    AccountAdmin admin() throws InterruptedException {
        ServerConfig config = cli.loadConfig();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            var remote = RemoteAccountAdmin.connect(config.server().dataDir());
            if (remote.isPresent()) {
                return remote.get();
            }
            try {
                return new LocalAccountAdmin(config, cli.configFile());
            } catch (StorageException e) {
                if (!String.valueOf(e.getMessage()).contains("locked") || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500); // the server holds the database and is not listening yet
            }
        }
    }

    /**
     * The new password: asked twice on a terminal, otherwise the first line of standard input
     * (for scripts: {@code echo secret | bin/tongyou user add romeo}).
     */
    static char[] readPassword() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] second = console.readPassword("Password again: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new IllegalArgumentException("the passwords do not match");
            }
            Arrays.fill(second, '\0');
            return first;
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            throw new IllegalArgumentException("no password on standard input");
        }
        return line.toCharArray();
    }

    /** {@code user add NAME}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Creates an account; the password is read from standard input or asked on the terminal.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        UserCommand user;
        @Parameters(paramLabel = "NAME", description = "The username (the localpart of the JID).")
        String name;

        @Override
        public Integer call() throws Exception {
            char[] password = readPassword();
            try (AccountAdmin admin = user.admin()) {
                admin.add(name, password);
                System.out.println("created " + name);
                return 0;
            } catch (AccountException e) {
                System.err.println("cannot create " + name + ": " + e.getMessage());
                return 1;
            } finally {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** {@code user remove NAME}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Deletes an account and ends its sessions.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        UserCommand user;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws InterruptedException {
            try (AccountAdmin admin = user.admin()) {
                admin.remove(name);
                System.out.println("removed " + name);
                return 0;
            } catch (AccountException e) {
                System.err.println("cannot remove " + name + ": " + e.getMessage());
                return 1;
            }
        }
    }

    /** {@code user passwd NAME}. */
    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Sets a new password; read from standard input or asked on the terminal.")
    static final class Passwd implements Callable<Integer> {
        @ParentCommand
        UserCommand user;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            char[] password = readPassword();
            try (AccountAdmin admin = user.admin()) {
                admin.passwd(name, password);
                System.out.println("changed the password of " + name);
                return 0;
            } catch (AccountException e) {
                System.err.println("cannot change the password of " + name + ": " + e.getMessage());
                return 1;
            } finally {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** {@code user list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the accounts.")
    static final class ListUsers implements Callable<Integer> {
        @ParentCommand
        UserCommand user;

        @Override
        public Integer call() throws InterruptedException {
            try (AccountAdmin admin = user.admin()) {
                admin.list().forEach(System.out::println);
                return 0;
            }
        }
    }
}
