package ignis.runtime.launch;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the launcher was asked to do.
 *
 * @param home    the runtime folder: {@code lib/}, {@code system/} and, by default, {@code deploy/}
 * @param deploy  the watched folder: a bundle jar dropped here is installed and started, removed is
 *                uninstalled, replaced is updated
 * @param cache   the framework's storage folder, or empty for a fresh temporary one removed at exit
 * @param pollMillis how often the deploy folder is scanned
 * @param command the {@code ignis:} Gogo command and its arguments to run before exiting, or empty
 *                for the interactive shell
 */
public record LaunchOptions(Path home, Path deploy, Optional<Path> cache, long pollMillis, List<String> command) {

    public static final String USAGE = """
            usage: java @cnf/jvm.options -jar ignis-runtime.jar [options] shell | COMMAND [ARGS...]
              shell              open the Gogo shell in the runtime
              COMMAND [ARGS...]  run the Gogo command ignis:COMMAND (devices, memory, events, fail, move) and exit
            options:
              --home DIR         the runtime folder holding lib/, system/ and deploy/ (default: the launcher's folder)
              --deploy DIR       the watched deploy folder (default: HOME/deploy)
              --cache DIR        the framework cache (default: a temporary folder removed at exit)
              --poll MS          how often the deploy folder is scanned, in milliseconds (default: 1000)""";

    public LaunchOptions {
        command = List.copyOf(command);
    }

    /** Whether to open the interactive Gogo shell rather than run one command. */
    public boolean interactive() {
        return command.isEmpty();
    }

    public static LaunchOptions parse(String[] args, Path defaultHome) throws UsageException {
        Path home = defaultHome;
        Path deploy = null;
        Path cache = null;
        long poll = 1000;
        int i = 0;
        while (i < args.length && args[i].startsWith("--")) {
            String flag = args[i];
            String value = valueOf(args, i);
            switch (flag) {
                case "--home" -> home = Path.of(value);
                case "--deploy" -> deploy = Path.of(value);
                case "--cache" -> cache = Path.of(value);
                case "--poll" -> poll = positiveLong(flag, value);
                default -> throw new UsageException("unknown option '" + flag + "'");
            }
            i += 2;
        }
        if (i == args.length) {
            throw new UsageException("missing command: shell, or an ignis command such as devices");
        }
        List<String> command = Arrays.asList(args).subList(i, args.length);
        if (command.getFirst().equals("shell")) {
            if (command.size() > 1) {
                throw new UsageException("shell takes no arguments, got '" + command.get(1) + "'");
            }
            command = List.of();
        }
        return new LaunchOptions(home.toAbsolutePath().normalize(),
                (deploy == null ? home.resolve("deploy") : deploy).toAbsolutePath().normalize(),
                Optional.ofNullable(cache).map(p -> p.toAbsolutePath().normalize()), poll, command);
    }

    private static String valueOf(String[] args, int flagIndex) throws UsageException {
        if (flagIndex + 1 >= args.length || args[flagIndex + 1].startsWith("--")) {
            throw new UsageException("option '" + args[flagIndex] + "' needs a value");
        }
        return args[flagIndex + 1];
    }

    private static long positiveLong(String flag, String value) throws UsageException {
        try {
            long parsed = Long.parseLong(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the flag's name
        }
        throw new UsageException("option '" + flag + "' needs a positive whole number, got '" + value + "'");
    }
}
