package ignis.runtime.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    private static final Path HOME = Path.of("/opt/ignis");

    @Test
    void defaultsToTheLaunchersFolderAndATemporaryCache() throws UsageException {
        LaunchOptions options = LaunchOptions.parse(new String[] {"devices"}, HOME);
        assertEquals(HOME, options.home());
        assertEquals(HOME.resolve("deploy"), options.deploy());
        assertEquals(Optional.empty(), options.cache());
        assertEquals(1000, options.pollMillis());
        assertEquals(List.of("devices"), options.command());
        assertFalse(options.interactive());
    }

    @Test
    void shellIsInteractive() throws UsageException {
        assertTrue(LaunchOptions.parse(new String[] {"shell"}, HOME).interactive());
    }

    @Test
    void readsEveryOptionAndPassesTheCommandsArgumentsOn() throws UsageException {
        LaunchOptions options = LaunchOptions.parse(new String[] {
                "--home", "/srv/rt", "--deploy", "/srv/drop", "--cache", "/tmp/c", "--poll", "250",
                "train", "--epochs", "3"}, HOME);
        assertEquals(Path.of("/srv/rt"), options.home());
        assertEquals(Path.of("/srv/drop"), options.deploy());
        assertEquals(Optional.of(Path.of("/tmp/c")), options.cache());
        assertEquals(250, options.pollMillis());
        assertEquals(List.of("train", "--epochs", "3"), options.command());
    }

    @Test
    void deployDefaultsToTheGivenHome() throws UsageException {
        assertEquals(Path.of("/srv/rt/deploy"), LaunchOptions.parse(new String[] {"--home", "/srv/rt", "devices"}, HOME).deploy());
    }

    @Test
    void rejectsBadCommandLinesWithOneLineThatNamesTheProblem() {
        assertUsage("unknown option '--bogus'", "--bogus", "x", "devices");
        assertUsage("option '--poll' needs a value", "--poll");
        assertUsage("option '--deploy' needs a value", "--deploy", "--poll", "3", "devices");
        assertUsage("option '--poll' needs a positive whole number, got 'soon'", "--poll", "soon", "devices");
        assertUsage("option '--poll' needs a positive whole number, got '0'", "--poll", "0", "devices");
        assertUsage("missing command: shell, or an ignis command such as devices");
        assertUsage("shell takes no arguments, got 'now'", "shell", "now");
    }

    private static void assertUsage(String message, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> LaunchOptions.parse(args, HOME));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
