package ignis.bench.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch side of {@code --compare}: runs {@code torch_bench.py} (outside the repository, beside
 * it at {@code ../shared/bench/}) for one group at a time, with our thread count, sample count and
 * sample time, and reads its {@code --json} results.
 */
final class TorchReference {

    /** One result of the script: its samples' median and min in its unit (GFLOP/s, GB/s or ms). */
    record Result(String name, String unit, double median, double min, double[] samples) {

        /** The samples of the same result from several runs, pooled. */
        static Result pooled(List<Result> runs) {
            double[] samples = runs.stream().flatMapToDouble(r -> Arrays.stream(r.samples())).toArray();
            if (samples.length == 0) {
                return runs.getFirst();
            }
            return new Result(runs.getFirst().name(), runs.getFirst().unit(), Harness.median(samples),
                    Arrays.stream(samples).min().orElseThrow(), samples);
        }

        /**
         * The median seconds per call, for the figure it matches (which has the same operation count
         * and byte count as the script's).
         */
        Optional<Double> medianSeconds(Figure figure) {
            return switch (unit) {
                case "GFLOP/s" -> figure.flops() > 0 ? Optional.of(figure.flops() / (median * 1e9)) : Optional.empty();
                case "GB/s" -> figure.bytes() > 0 ? Optional.of(figure.bytes() / (median * 1e9)) : Optional.empty();
                case "ms" -> Optional.of(median / 1e3);
                default -> Optional.empty();
            };
        }
    }

    private static final long CHECK_SECONDS = 120;
    private static final long RUN_MINUTES = 30;

    private final Path python;
    private final Path script;

    private TorchReference(Path python, Path script) {
        this.python = python;
        this.script = script;
    }

    /** The script beside the repository: {@code ROOT/../shared/bench/torch_bench.py}, ROOT from the ignis script or the working folder. */
    static Path defaultScript() {
        String root = System.getenv("IGNIS_ROOT");
        Path base = root != null && !root.isBlank() ? Path.of(root) : Path.of("").toAbsolutePath();
        return base.resolve("../shared/bench/torch_bench.py").normalize();
    }

    /**
     * The reference, when the interpreter has torch and the script is there; otherwise why not.
     *
     * @return the reference, or a one-line reason it is unavailable
     */
    static Availability locate(Path python, Path script) {
        if (!Files.isExecutable(python)) {
            return new Availability(null, "no Python interpreter at " + python + " (--python FILE)");
        }
        if (!Files.isRegularFile(script)) {
            return new Availability(null, "no reference script at " + script + " (--torch-script FILE)");
        }
        try {
            Process check = new ProcessBuilder(python.toString(), "-c", "import torch")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!check.waitFor(CHECK_SECONDS, TimeUnit.SECONDS)) {
                check.destroyForcibly();
                return new Availability(null, python + " did not import torch within " + CHECK_SECONDS + " s");
            }
            if (check.exitValue() != 0) {
                return new Availability(null, python + " cannot import torch (Debian: apt-get install python3-torch)");
            }
        } catch (IOException e) {
            return new Availability(null, "cannot run " + python + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Availability(null, "interrupted while checking for torch");
        }
        return new Availability(new TorchReference(python, script), null);
    }

    /** A reference, or the reason there is none. */
    record Availability(TorchReference reference, String reason) {
    }

    Path script() {
        return script;
    }

    /**
     * Runs the script's measurements of one group and returns them by name.
     *
     * @throws IOException when the script fails or writes no readable results; the message says why
     */
    Map<String, Result> run(BenchOptions.Group group, BenchOptions options, int threads) throws IOException {
        String only = switch (group) {
            case GEMM -> "matmul";
            case ELEMENTWISE -> "elementwise,sum";
            case CONV -> "conv,xent";
        };
        Path json = Files.createTempFile("ignis-torch-bench", ".json");
        Path errors = Files.createTempFile("ignis-torch-bench", ".err");
        try {
            List<String> command = new ArrayList<>(List.of(python.toString(), script.toString(),
                    "--threads", Integer.toString(threads), "--repeat", Integer.toString(options.repeat()),
                    "--min-sample", String.format(Locale.ROOT, "%.4f", options.minSampleMillis() / 1e3),
                    "--sizes", String.join(",", options.sizes().stream().map(String::valueOf).toList()),
                    "--only", only, "--json", json.toString()));
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
            return parse(Files.readString(json, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(json);
            Files.deleteIfExists(errors);
        }
    }

    /**
     * The results of a {@code torch_bench.py --json} file: those of its first thread count (the
     * command runs one), by name.
     *
     * @throws IOException when the document is not the script's
     */
    static Map<String, Result> parse(String text) throws IOException {
        try {
            Map<?, ?> root = (Map<?, ?>) Json.parse(text);
            List<?> pooled = (List<?>) root.get("pooled");
            Map<String, Result> results = new HashMap<>();
            if (pooled == null || pooled.isEmpty()) {
                return results;
            }
            for (Object item : (List<?>) ((Map<?, ?>) pooled.getFirst()).get("results")) {
                Map<?, ?> r = (Map<?, ?>) item;
                String name = (String) r.get("name");
                List<?> values = r.get("samples") instanceof List<?> list ? list : List.of();
                double[] samples = values.stream().mapToDouble(v -> ((Number) v).doubleValue()).filter(Double::isFinite).toArray();
                results.put(name, new Result(name, (String) r.get("unit"), ((Number) r.get("median")).doubleValue(),
                        ((Number) r.get("min")).doubleValue(), samples));
            }
            return results;
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new IOException("the reference's JSON is not as torch_bench.py writes it: " + e.getMessage(), e);
        }
    }
}
