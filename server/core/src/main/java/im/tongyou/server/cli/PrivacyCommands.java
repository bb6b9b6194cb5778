package im.tongyou.server.cli;

import im.tongyou.api.AccountException;
import im.tongyou.server.admin.AccountAdmin;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tongyou export USER}, {@code tongyou import FILE} and {@code tongyou data-map}: the
 * administrator's side of the right to a copy and to portability (privacy requirements R-DSR-5,
 * AC-16) and the data map (AC-29), through the running server's admin socket or on the stopped
 * server's database.
 */
final class PrivacyCommands {

    private PrivacyCommands() {
    }

    private static AccountAdmin admin(TongyouCli cli) throws InterruptedException {
        UserCommand user = new UserCommand();
        user.cli = cli;
        return user.admin();
    }

    /** {@code export USER [--out FILE]}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Writes everything the server holds about a user to a zip: data.json and xep-0227.xml.")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        TongyouCli cli;
        @Parameters(paramLabel = "USER", description = "The username (the localpart of the JID).")
        String name;
        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "The zip to write (default: USER-export.zip).")
        Path out;

        @Override
        public Integer call() throws InterruptedException {
            Path file = (out == null ? Path.of(name + "-export.zip") : out).toAbsolutePath();
            try (AccountAdmin admin = admin(cli)) {
                admin.export(name, file);
                System.out.println("exported " + name + " to " + file);
                return 0;
            } catch (AccountException e) {
                System.err.println("cannot export " + name + ": " + e.getMessage());
                return 1;
            }
        }
    }

    /** {@code import FILE}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Imports the export of one user (the zip of 'export', or a XEP-0227 file) as a new account:",
                    "roster, vCard, private storage, offline messages, archive. An existing account is never overwritten.",
                    "The export holds no password: the new one is read from standard input or asked on the terminal."})
    static final class Import implements Callable<Integer> {
        @ParentCommand
        TongyouCli cli;
        @Parameters(paramLabel = "FILE", description = "The zip written by 'export' (or its xep-0227.xml).")
        Path file;

        @Override
        public Integer call() throws Exception {
            Path in = file.toAbsolutePath();
            if (!java.nio.file.Files.isReadable(in)) {
                System.err.println("cannot import: " + in + " is not a readable file");
                return 1;
            }
            char[] password = UserCommand.readPassword();
            try (AccountAdmin admin = admin(cli)) {
                String name = admin.importFile(in, password);
                System.out.println("imported " + name + " from " + in);
                return 0;
            } catch (AccountException e) {
                System.err.println("cannot import " + in + ": " + e.getMessage());
                return 1;
            } finally {
                java.util.Arrays.fill(password, '\0');
            }
        }
    }

    /** {@code data-map}. */
    @Command(name = "data-map", mixinStandardHelpOptions = true,
            description = "Prints the data map: each store of personal data, its purpose, tables, retention, export and erasure.")
    static final class Map implements Callable<Integer> {
        @ParentCommand
        TongyouCli cli;

        @Override
        public Integer call() throws InterruptedException {
            try (AccountAdmin admin = admin(cli)) {
                System.out.print(admin.dataMap());
                return 0;
            }
        }
    }
}
