package ignis.bench.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
        String reason = Files.isExecutable(python) && !Files.isRegularFile(script)
                ? "no reference script at " + script + " (--torch-script FILE)"
                : PythonRun.unavailable(python, "torch", "python3-torch");
        return reason != null ? new Availability(null, reason) : new Availability(new TorchReference(python, script), null);
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
        return parse(PythonRun.run(python, script, List.of("--threads", Integer.toString(threads), "--repeat", Integer.toString(options.repeat()),
                "--min-sample", String.format(Locale.ROOT, "%.4f", options.minSampleMillis() / 1e3),
                "--sizes", String.join(",", options.sizes().stream().map(String::valueOf).toList()), "--only", only)));
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
