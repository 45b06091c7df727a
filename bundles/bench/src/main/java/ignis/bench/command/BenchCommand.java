package ignis.bench.command;

import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import ignis.tensor.RegisteredBackend;
import ignis.tensor.Tensors;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code ignis:bench}: measures GEMM, elementwise operations and convolutions through the public
 * tensor API on one device, run by {@code ./ignis bench}; with {@code --compare} it runs PyTorch's
 * figures of the same operations between ours, and numpy's of the GEMM products PyTorch's script does not time.
 */
@Component(service = BenchCommand.class, property = {
        "osgi.command.scope=ignis",
        "osgi.command.function=bench"})
public final class BenchCommand {

    public void bench(String... args) throws IOException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        run(BenchOptions.parse(args), System.out);
    }

    /**
     * Runs the groups of {@code options}, printing the table to {@code out}, and returns every figure.
     *
     * @throws IllegalArgumentException when the device has no backend
     */
    static List<Figure> run(BenchOptions options, PrintStream out) throws IOException {
        Device device = options.device().orElseGet(Device::best);
        if (!BackendRegistry.hasBackend(device)) {
            throw new IllegalArgumentException("bench: no backend for device " + device + " is registered; devices with a backend: "
                    + BackendRegistry.devices());
        }
        int previousThreads = Tensors.numThreads();
        options.threads().ifPresent(Tensors::setNumThreads);
        try {
            TorchReference torch = null;
            NumpyReference numpy = null;
            if (options.compare()) {
                Path script = options.torchScript().orElseGet(TorchReference::defaultScript);
                TorchReference.Availability found = TorchReference.locate(options.python(), script);
                torch = found.reference();
                if (torch == null) {
                    out.println("no PyTorch comparison: " + found.reason() + "; running Ignis only");
                }
                String noNumpy = PythonRun.unavailable(options.python(), "numpy", "python3-numpy");
                if (noNumpy == null) {
                    numpy = new NumpyReference(options.python());
                } else if (options.groups().contains(BenchOptions.Group.GEMM)) {
                    out.println("no numpy comparison of the training GEMM products: " + noNumpy);
                }
            }
            Harness harness = Harness.of(options, device);
            int samples = options.repeat() * options.rounds();
            out.printf(Locale.ROOT, "ignis bench on %s (%s), %d thread%s, float32; median and min of %d sample%s of >= %s ms each%s%n",
                    device, backendName(device), Tensors.numThreads(), Tensors.numThreads() == 1 ? "" : "s", samples,
                    samples == 1 ? "" : "s", Report.rate(options.minSampleMillis()),
                    options.rounds() == 1 ? "" : " (" + options.rounds() + " rounds of " + options.repeat() + ")");
            if (torch != null || numpy != null) {
                out.println("REF: the median of " + (torch != null ? torch.script() : "torch_bench.py") + " (PyTorch on the cpu) for the"
                        + " same figure, or for the GEMM products of a training step of numpy's float32 matmul (numpy_gemm.py, its"
                        + " BLAS), run after ours group by group; SPEED: reference time / our time (> 1: Ignis is faster)");
            }
            out.println("load average " + loadAverage());
            Report report = new Report(out, torch != null || numpy != null);
            report.header();
            List<Figure> all = new ArrayList<>();
            for (BenchOptions.Group group : options.groups()) {
                List<List<Figure>> ours = new ArrayList<>();
                List<Map<String, TorchReference.Result>> theirs = new ArrayList<>();
                for (int round = 0; round < options.rounds(); round++) {
                    List<Figure> figures = switch (group) {
                        case GEMM -> GemmSuite.run(options, device, harness);
                        case ELEMENTWISE -> ElementwiseSuite.run(options, device, harness);
                        case CONV -> ConvSuite.run(options, device, harness);
                    };
                    ours.add(figures);
                    Map<String, TorchReference.Result> reference = new HashMap<>();
                    if (torch != null && figures.stream().anyMatch(f -> f.referenceName().filter(n -> !NumpyReference.isNumpyName(n)).isPresent())) {
                        try {
                            reference.putAll(torch.run(group, options, Tensors.numThreads()));
                        } catch (IOException e) {
                            out.println("PyTorch reference of " + group.label() + " failed: " + e.getMessage());
                        }
                    }
                    List<GemmSuite.Case> products = group == BenchOptions.Group.GEMM
                            ? GemmSuite.cases(options).stream().filter(c -> !c.isSquare()).toList() : List.of();
                    if (numpy != null && !products.isEmpty()) {
                        try {
                            reference.putAll(numpy.run(products, options, Tensors.numThreads()));
                        } catch (IOException e) {
                            out.println("numpy reference of " + group.label() + " failed: " + e.getMessage());
                        }
                    }
                    theirs.add(reference);
                }
                List<Figure> figures = pooled(ours);
                report.rows(figures, pooledReference(theirs));
                for (Figure f : figures) {
                    if (f.timing().leakedTensors() > 0) {
                        out.printf(Locale.ROOT, "warning: %s %s left %d tensors open%n", f.name(), f.shape(), f.timing().leakedTensors());
                    }
                }
                all.addAll(figures);
            }
            out.println("load average " + loadAverage());
            if (options.json().isPresent()) {
                Path json = options.json().get().toAbsolutePath();
                Files.createDirectories(json.getParent());
                Files.writeString(json, Report.json(all), StandardCharsets.UTF_8);
                out.println("figures written to " + json);
            }
            return all;
        } finally {
            Tensors.setNumThreads(previousThreads);
        }
    }

    /** Each figure with the samples of every round. */
    static List<Figure> pooled(List<List<Figure>> rounds) {
        List<Figure> first = rounds.getFirst();
        List<Figure> pooled = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            int index = i;
            Figure f = first.get(i);
            pooled.add(new Figure(f.group(), f.name(), f.shape(), f.dtype(), f.threads(), f.device(), f.flops(), f.bytes(),
                    Harness.Timing.pooled(rounds.stream().map(r -> r.get(index).timing()).toList()), f.referenceName()));
        }
        return pooled;
    }

    /** The reference's results with the samples of every round. */
    static Map<String, TorchReference.Result> pooledReference(List<Map<String, TorchReference.Result>> rounds) {
        Map<String, List<TorchReference.Result>> byName = new LinkedHashMap<>();
        for (Map<String, TorchReference.Result> round : rounds) {
            round.forEach((name, result) -> byName.computeIfAbsent(name, n -> new ArrayList<>()).add(result));
        }
        Map<String, TorchReference.Result> pooled = new LinkedHashMap<>();
        byName.forEach((name, results) -> pooled.put(name, TorchReference.Result.pooled(results)));
        return pooled;
    }

    private static String backendName(Device device) {
        return BackendRegistry.backends().stream().filter(r -> r.backend().device().equals(device))
                .max(Comparator.comparingInt(RegisteredBackend::ranking))
                .map(r -> "backend " + r.backend().name()).orElse("no backend");
    }

    /** The first three fields of /proc/loadavg, or "unknown" off Linux: these machines are shared. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", List.of(fields).subList(0, Math.min(3, fields.length)));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
