package im.tongyou.server.cli;

import im.tongyou.server.config.ConfigException;
import im.tongyou.server.config.ConfigLoader;
import im.tongyou.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The command line of {@code bin/tongyou}: {@code run} and the account tasks; the launcher script
 * adds {@code start}, {@code stop} and {@code status}. Options may come before or after the
 * subcommand.
 */
@Command(name = "tongyou", mixinStandardHelpOptions = true, versionProvider = TongyouCli.Version.class,
        description = "Tongyou Server, a standards-based XMPP server.%n"
                + "The launcher also offers: start, stop, status (see bin/tongyou start --help).",
        subcommands = {RunCommand.class, UserCommand.class, PrivacyCommands.Export.class, PrivacyCommands.Import.class,
                PrivacyCommands.Map.class,
                CommandLine.HelpCommand.class})
public final class TongyouCli implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--config", paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "The configuration file (default: conf/tongyou.yml of the installation, if present).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", scope = ScopeType.INHERIT,
            description = "Overrides a configuration key, e.g. --set server.domain=example.org (repeatable). "
                    + "Environment variables such as TONGYOU_SERVER_DOMAIN override too; --set wins.")
    Map<String, String> sets = new LinkedHashMap<>();

    @Option(names = "--print-config", description = "Prints the configuration in effect (passwords masked) and exits.")
    boolean printConfig;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: --print-config, or the usage. */
    @Override
    public Integer call() {
        if (printConfig) {
            spec.commandLine().getOut().print(ConfigLoader.toYaml(loadConfig()));
            return 0;
        }
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        // Liquibase and others log through java.util.logging: sent to SLF4J like everything else,
        // set up (with logback) while the command line is parsed.
        LoggingSetup.startInBackground();
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status (0 done, 1 failed, 2 bad usage or configuration). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new TongyouCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println(e.getMessage());
                return 2;
            }
            commandLine.getErr().println("error: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }

    /** Loads the configuration the options name. */
    ServerConfig loadConfig() {
        LoggingSetup.await();
        Path file = configFile();
        return config != null ? ConfigLoader.load(file, sets, System.getenv())
                : ConfigLoader.loadOrDefaults(file, sets, System.getenv());
    }

    /** The configuration file: --config, or the installation's conf/tongyou.yml (defaults when absent). */
    Path configFile() {
        if (config != null) {
            return config;
        }
        String home = System.getProperty("tongyou.home");
        return home == null ? Path.of("conf", "tongyou.yml") : Path.of(home, "conf", "tongyou.yml");
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TongyouCli.class.getPackage().getImplementationVersion();
            return new String[] {"Tongyou Server " + (v == null ? "development" : v)};
        }
    }
}
