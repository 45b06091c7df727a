package ignis.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher jar as users and the {@code ignis} script run it: a separate JVM with the shared flags. */
class LauncherCommandLineTest {

    @TempDir
    Path temp;

    private record Result(int status, String out, String err) {
    }

    @Test
    void devicesSaysSoWhenTheDeployFolderHasNoBackend() throws Exception {
        Result result = launch("--deploy", temp.toString(), "devices");
        assertEquals(0, result.status(), result.err());
        assertEquals(List.of("BACKEND  DEVICE  RANKING  BUNDLE  LIVE",
                "(no backends registered: drop a backend bundle into the deploy folder)"), result.out().lines().toList());
    }

    @Test
    void deploysTheAssembledBundlesByDefaultAndListsTheirBackendsBestFirst() throws Exception {
        Result result = launch("devices");
        assertEquals(0, result.status(), result.err());
        // Where the machine has an OpenCL device (PoCL in CI) its backend adds a row, and the columns
        // widen for its device name: the cpu rows are compared with their spacing collapsed.
        List<String> lines = result.out().lines().map(line -> line.replaceAll(" +", " "))
                .filter(line -> !line.startsWith("opencl ")).toList();
        assertEquals(List.of(
                "BACKEND DEVICE RANKING BUNDLE LIVE",
                "cpu-simd cpu 100 ignis.backend.simd 0.1.0.SNAPSHOT 0 B",
                "reference cpu 0 ignis.backend.reference 0.1.0.SNAPSHOT",
                "best device: cpu (tensors placed follow_best live there)"), lines);
    }

    @Test
    void eventsListsTheBackendsThatArrivedWhileTheRuntimeStarted() throws Exception {
        Result result = launch("events", "50");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("  added cpu (cpu-simd): backend cpu-simd arrived, pause "), result.out());
        assertTrue(result.out().contains("  added cpu (reference): backend reference arrived, pause "), result.out());
    }

    @Test
    void failOnADeviceWithoutBackendNamesTheDevicesThatHaveOne() throws Exception {
        Result result = launch("--deploy", temp.toString(), "fail", "cuda:7", "driver", "crashed");
        assertEquals(2, result.status());
        assertEquals(List.of("ignis: no backend of device cuda:7 is registered; devices with a backend: none"), errorLines(result));
    }

    @Test
    void moveWithoutTheNnBundleSaysWhatIsMissing() throws Exception {
        Result result = launch("--deploy", temp.toString(), "move", "mlp", "cpu");
        assertEquals(1, result.status());
        assertEquals(List.of("ignis: IllegalStateException: move needs the nn bundle (ignis.nn), which is not installed: "
                + "drop nn-bundle.jar into the deploy folder"), errorLines(result));
    }

    @Test
    void aBadOptionIsOneLineAndStatusTwo() throws Exception {
        Result result = launch("--bogus", "devices");
        assertEquals(2, result.status());
        assertEquals(List.of("ignis: unknown option '--bogus' (run with --help for usage)"), errorLines(result));
    }

    @Test
    void anUnknownCommandIsOneLineAndStatusTwo() throws Exception {
        Result result = launch("--deploy", temp.toString(), "nosuchcommand");
        assertEquals(2, result.status());
        assertEquals(List.of("ignis: unknown command 'nosuchcommand': no bundle in the runtime provides ignis:nosuchcommand"),
                errorLines(result));
    }

    @Test
    void aCommandThatRejectsItsArgumentsIsOneLineAndStatusTwo() throws Exception {
        Result result = launch("train", "--epochs", "none");
        assertEquals(2, result.status());
        assertEquals(List.of("ignis: train: --epochs needs a whole number, got 'none'"), errorLines(result));
    }

    @Test
    void helpPrintsUsage() throws Exception {
        Result result = launch("--help");
        assertEquals(0, result.status());
        assertTrue(result.out().startsWith("usage: "), result.out());
    }

    /** What the JVM itself says about the incubator module is not ours. */
    private static List<String> errorLines(Result result) {
        return result.err().lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
    }

    private Result launch(String... args) throws IOException, InterruptedException {
        Path runtime = RuntimeBundles.runtimeDir();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + System.getProperty("ignis.jvm.options"),
                "-jar", runtime.resolve("ignis-runtime.jar").toString()));
        command.addAll(List.of(args));
        Path out = temp.resolve("out.txt");
        Path err = temp.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not exit within 60 s: " + command);
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
