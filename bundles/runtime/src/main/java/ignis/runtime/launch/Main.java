package ignis.runtime.launch;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code java @cnf/jvm.options -jar ignis-runtime.jar [options] shell | COMMAND [ARGS...]}: starts the
 * embedded runtime, then opens the Gogo shell or runs one {@code ignis:} command. Exit status 0 on
 * success, 1 when the runtime or the command fails, 2 for a command line it cannot run (including a
 * command that rejects its arguments with an {@link IllegalArgumentException}).
 */
public final class Main {

    private static final String EVENT_ADMIN_LOG_LEVEL = "org.apache.felix.eventadmin.LogLevel";

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "ignis: %4$s: %5$s%6$s%n");
        }
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length > 0 && args[0].equals("--help")) {
            System.out.println(LaunchOptions.USAGE);
            return 0;
        }
        Path ownJar = EmbeddedRuntime.ownJar();
        Path home = ownJar != null ? ownJar.getParent() : Path.of(".");
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args, home);
        } catch (UsageException e) {
            System.err.println("ignis: " + e.getMessage() + " (run with --help for usage)");
            return 2;
        }
        if (!options.interactive()) {
            // A one-shot command prints its own output; the bundles' start-up news would only interleave with it.
            Logger.getLogger("").setLevel(Level.WARNING);
            // Event Admin warns, on its own console, that stopping the framework interrupts its delivery
            // of the stop's own bundle and service events: news to no one at the end of a command.
            if (System.getProperty(EVENT_ADMIN_LOG_LEVEL) == null) {
                System.setProperty(EVENT_ADMIN_LOG_LEVEL, "1"); // errors only
            }
        }
        // Gogo swaps System.out and System.err for streams of its own: keep the console's.
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(options, ownJar)) {
            Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "ignis-shutdown"));
            if (options.interactive()) {
                runtime.awaitStop();
            } else {
                GogoCommands.run(runtime.context(), options.command(), out, err);
            }
            return 0;
        } catch (UsageException | IllegalArgumentException e) {
            // Commands reject their arguments with IllegalArgumentException, as Gogo does a bad call.
            System.err.println("ignis: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("ignis: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }
}
