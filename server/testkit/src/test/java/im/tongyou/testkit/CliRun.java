package im.tongyou.testkit;

import im.tongyou.server.cli.TongyouCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code bin/tongyou ARGS} in this JVM, aimed at a test server's data directory (its admin socket),
 * with the given standard input; what it printed and its exit status.
 */
record CliRun(int status, String out, String err) {

    static CliRun run(TongyouServerExtension server, String stdin, String... args) {
        InputStream in = System.in;
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 2];
            all[0] = "--set";
            all[1] = "server.data-dir=" + server.dataDir();
            System.arraycopy(args, 0, all, 2, args.length);
            int status = TongyouCli.execute(all);
            return new CliRun(status, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(in);
            System.setOut(out);
            System.setErr(err);
        }
    }
}
