package im.tongyou.server.cli;

import im.tongyou.server.TongyouServer;
import im.tongyou.server.config.ServerConfig;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code tongyou run}: the server in the foreground until it is interrupted or terminated. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the server in the foreground until Ctrl-C or SIGTERM.")
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @ParentCommand
    TongyouCli cli;

    @Override
    public Integer call() throws Exception {
        ServerConfig config = cli.loadConfig();
        TongyouServer server = TongyouServer.start(config, cli.configFile(), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            server.close();
            log.info("stopped");
            stopped.countDown();
        }, "tongyou-shutdown"));
        stopped.await();
        return 0;
    }
}
