package ignis.bench.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A reference script run by a Python interpreter, which writes its results to a JSON file named by {@code --json}. */
final class PythonRun {

    private static final long CHECK_SECONDS = 120;
    private static final long RUN_MINUTES = 30;

    private PythonRun() {
    }

    /** Why {@code python} cannot serve a reference that imports {@code module}, or null when it can. */
    static String unavailable(Path python, String module, String debianPackage) {
        if (!Files.isExecutable(python)) {
            return "no Python interpreter at " + python + " (--python FILE)";
        }
        try {
            Process check = new ProcessBuilder(python.toString(), "-c", "import " + module)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!check.waitFor(CHECK_SECONDS, TimeUnit.SECONDS)) {
                check.destroyForcibly();
                return python + " did not import " + module + " within " + CHECK_SECONDS + " s";
            }
            if (check.exitValue() != 0) {
                return python + " cannot import " + module + " (Debian: apt-get install " + debianPackage + ")";
            }
            return null;
        } catch (IOException e) {
            return "cannot run " + python + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking for " + module;
        }
    }

    /**
     * Runs {@code python script arguments... --json FILE} and returns the file's text.
     *
     * @throws IOException when the script fails, takes more than half an hour or writes nothing; the message says why
     */
    static String run(Path python, Path script, List<String> arguments) throws IOException {
        Path json = Files.createTempFile("ignis-reference", ".json");
        Path errors = Files.createTempFile("ignis-reference", ".err");
        try {
            List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
            command.addAll(arguments);
            command.addAll(List.of("--json", json.toString()));
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile()).start();
            boolean done;
            try {
                done = process.waitFor(RUN_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the reference ran");
            }
            if (!done) {
                process.destroyForcibly();
                throw new IOException(script.getFileName() + " took more than " + RUN_MINUTES + " minutes");
            }
            if (process.exitValue() != 0) {
                List<String> lines = Files.readAllLines(errors, StandardCharsets.UTF_8);
                throw new IOException(script.getFileName() + " failed with exit status " + process.exitValue()
                        + (lines.isEmpty() ? "" : ": " + lines.getLast()));
            }
            return Files.readString(json, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(json);
            Files.deleteIfExists(errors);
        }
    }
}
