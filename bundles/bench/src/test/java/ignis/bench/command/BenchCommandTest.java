package ignis.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ignis.tensor.Tensors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny runs: small shapes, two short samples. Figures are checked for sense, never for speed. */
class BenchCommandTest {

    private static final String[] TINY = {"--sizes", "8,16", "--batch", "2", "--elements", "1000", "--repeat", "2",
            "--min-time", "1", "--warmup", "0"};

    @TempDir
    Path temp;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private List<Figure> run(String... args) throws Exception {
        String[] all = new String[args.length + TINY.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(TINY, 0, all, args.length, TINY.length);
        return BenchCommand.run(BenchOptions.parse(all), out);
    }

    private static void assertSensible(Figure f) {
        assertTrue(f.timing().medianSeconds() > 0 && Double.isFinite(f.timing().medianSeconds()), f.toString());
        assertTrue(f.timing().minSeconds() > 0 && f.timing().minSeconds() <= f.timing().medianSeconds(), f.toString());
        f.gflops().ifPresent(g -> assertTrue(g > 0 && Double.isFinite(g), f.toString()));
        f.gbps().ifPresent(g -> assertTrue(g > 0 && Double.isFinite(g), f.toString()));
        assertEquals(0, f.timing().leakedTensors(), f.toString());
        assertEquals("float32", f.dtype());
        assertEquals("cpu", f.device());
    }

    @Test
    void gemmMeasuresTheSquareSizesAndTheTrainingProducts() throws Exception {
        long live = Tensors.liveTensors();
        List<Figure> figures = run("gemm", "--device", "cpu");
        assertEquals(List.of("8x8x8", "16x16x16", "2x784x256", "2x784x256", "784x2x256", "2x256x784", "2x3136x128", "2x3136x128", "3136x2x128",
                        "2x128x3136"),
                figures.stream().map(Figure::shape).toList());
        assertEquals(List.of("gemm", "gemm", "gemm", "gemm_nt", "gemm_tn", "gemm_nt", "gemm", "gemm_nt", "gemm_tn", "gemm_nt"),
                figures.stream().map(Figure::name).toList());
        figures.forEach(BenchCommandTest::assertSensible);
        figures.forEach(f -> assertTrue(f.gflops().isPresent() && f.gbps().isEmpty(), f.toString()));
        assertEquals(2 * 8 * 8 * 8, figures.getFirst().flops());
        assertEquals(live, Tensors.liveTensors());
        String table = printed.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("GFLOP/S"), table);
        assertTrue(table.contains("gemm_tn"), table);
    }

    @Test
    void elementwiseMeasuresBandwidthAndTheSmallAddsLatency() throws Exception {
        long live = Tensors.liveTensors();
        List<Figure> figures = run("elementwise", "--threads", "2");
        assertEquals(List.of("add_", "add", "mul_", "relu_", "relu", "exp", "sum", "relu_backward", "contiguous_t", "add", "bias_add"),
                figures.stream().map(Figure::name).toList());
        figures.forEach(BenchCommandTest::assertSensible);
        figures.subList(0, 9).forEach(f -> assertTrue(f.gbps().isPresent() && f.gflops().isEmpty(), f.toString()));
        assertEquals(3 * 4 * 1000, figures.getFirst().bytes());
        Figure transposed = figures.get(8);
        assertEquals("31x31", transposed.shape(), "the square of about 1000 floats");
        assertEquals(2 * 4 * 31 * 31, transposed.bytes());
        Figure small = figures.get(9);
        assertEquals("64", small.shape());
        assertTrue(small.gbps().isEmpty() && small.gflops().isEmpty());
        Figure bias = figures.getLast();
        assertEquals("64x256,256", bias.shape());
        assertTrue(bias.gbps().isEmpty() && bias.gflops().isEmpty());
        assertTrue(figures.stream().allMatch(f -> f.threads() == 2));
        assertTrue(figures.stream().allMatch(f -> f.referenceName().isEmpty()), "no torch figure has 1000 elements");
        assertEquals(live, Tensors.liveTensors());
    }

    @Test
    void convMeasuresForwardAndBackwardOfBothLayersTheirPoolingsAndCrossEntropy() throws Exception {
        long live = Tensors.liveTensors();
        List<Figure> figures = run("conv");
        assertEquals(List.of("conv2d_fwd", "conv2d_fwd_bwd", "conv2d_fwd", "conv2d_fwd_bwd",
                "max_pool2d_fwd", "max_pool2d_bwd", "max_pool2d_fwd", "max_pool2d_bwd", "cross_entropy_fwd", "cross_entropy_fwd_bwd"),
                figures.stream().map(Figure::name).toList());
        assertEquals(List.of("2x1x28x28,32x1x3x3", "2x1x28x28,32x1x3x3", "2x32x14x14,64x32x3x3", "2x32x14x14,64x32x3x3",
                        "2x32x28x28", "2x32x28x28", "2x64x14x14", "2x64x14x14", "512x1000", "512x1000"),
                figures.stream().map(Figure::shape).toList());
        assertEquals(4.0 * 512 * 1000, figures.get(8).bytes(), "the logits read");
        assertEquals(Optional.of("[512,1000] fwd+bwd"), figures.get(9).referenceName(), "torch_bench.py's name for the figure");
        assertEquals(4.0 * 2 * 32 * 28 * 28 + 2 * 32 * 14 * 14 * 12.0, figures.get(4).bytes(), "input read, maxima and indices written");
        figures.forEach(BenchCommandTest::assertSensible);
        assertEquals(2 * figures.get(0).flops(), figures.get(1).flops(), "dW as costly as the forward; no dX for the data");
        assertEquals(3 * figures.get(2).flops(), figures.get(3).flops(), "dX and dW");
        assertEquals(live, Tensors.liveTensors());
    }

    @Test
    void jsonHasOneObjectPerFigureWithTheDocumentedFields() throws Exception {
        Path json = temp.resolve("figures/bench.json");
        List<Figure> figures = run("all", "--json", json.toString());
        Map<?, ?> root = (Map<?, ?>) Json.parse(Files.readString(json));
        assertEquals(Set.of("benchmarks"), root.keySet());
        List<?> entries = (List<?>) root.get("benchmarks");
        assertEquals(figures.size(), entries.size());
        assertEquals(10 + 11 + 10, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Map<?, ?> e = (Map<?, ?>) entries.get(i);
            Figure f = figures.get(i);
            assertEquals(List.of("name", "shape", "dtype", "threads", "device", "gflops", "gbps", "median_ms"), List.copyOf(e.keySet()));
            assertEquals(f.name(), e.get("name"));
            assertEquals(f.shape(), e.get("shape"));
            assertEquals("float32", e.get("dtype"));
            assertEquals((double) Tensors.numThreads(), e.get("threads"));
            assertEquals("cpu", e.get("device"));
            assertTrue((Double) e.get("median_ms") > 0, e.toString());
            if (f.flops() > 0) {
                assertNull(e.get("gbps"));
                assertTrue((Double) e.get("gflops") > 0, e.toString());
            } else {
                assertNull(e.get("gflops"));
            }
        }
        Map<?, ?> first = (Map<?, ?>) entries.getFirst();
        assertEquals("gemm", first.get("name"));
        assertEquals("8x8x8", first.get("shape"));
        Map<?, ?> small = (Map<?, ?>) entries.get(19);
        assertEquals("64", small.get("shape"));
        assertNull(small.get("gflops"));
        assertNull(small.get("gbps"));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("figures written to " + json));
    }

    @Test
    void roundsPoolTheSamplesOfEachFigure() throws Exception {
        List<Figure> figures = run("conv", "--rounds", "2");
        assertEquals(10, figures.size());
        figures.forEach(f -> assertEquals(2 * 2, f.timing().samples().length, f.toString()));
        figures.forEach(BenchCommandTest::assertSensible);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("median and min of 4 samples of >= 1.00 ms each (2 rounds of 2)"));
    }

    @Test
    void threadsAreRestoredAfterTheRun() throws Exception {
        int before = Tensors.numThreads();
        List<Figure> figures = run("elementwise", "--threads", before == 1 ? "2" : "1", "--elements", "64");
        assertEquals(before == 1 ? 2 : 1, figures.getFirst().threads());
        assertEquals(before, Tensors.numThreads());
    }

    @Test
    void anUnknownDeviceIsAClearUsageError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run("gemm", "--device", "quantum:3"));
        assertTrue(e.getMessage().startsWith("bench: no backend for device quantum:3 is registered; devices with a backend: ["), e.getMessage());
        assertTrue(e.getMessage().contains("cpu"), e.getMessage());
    }

    @Test
    void compareWithoutPythonSaysSoAndRunsOursOnly() throws Exception {
        List<Figure> figures = run("conv", "--compare", "--python", temp.resolve("no-python").toString());
        assertEquals(10, figures.size());
        String table = printed.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("no PyTorch comparison: no Python interpreter at "), table);
        assertTrue(!table.contains("SPEED"), table);
    }

    /** With Debian's python3-torch and the reference script beside the repository: a real, tiny comparison. */
    @Test
    void compareRunsTheReferenceAndPrintsOurSpeedAgainstIt() throws Exception {
        Path script = Path.of("").toAbsolutePath().resolve("../../../shared/bench/torch_bench.py").normalize();
        assumeTrue(Files.isRegularFile(script), "no reference script at " + script);
        assumeTrue(TorchReference.locate(BenchOptions.DEFAULT_PYTHON, script).reference() != null, "no python3 with torch");
        List<Figure> figures = run("gemm", "--threads", "1", "--compare", "--torch-script", script.toString());
        String table = printed.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("SPEED"), table);
        String row = table.lines().filter(l -> l.contains(" 8x8x8 ")).findFirst().orElseThrow();
        String[] cells = row.trim().split("\\s+");
        double speed = Double.parseDouble(cells[cells.length - 1]);
        assertTrue(speed >= 0 && Double.isFinite(speed), row);
        assertEquals(10, figures.size());
    }

    /** With Debian's python3-numpy: the training products are compared with numpy's matmul, with or without PyTorch. */
    @Test
    void compareTimesTheTrainingProductsWithNumpy() throws Exception {
        assumeTrue(PythonRun.unavailable(BenchOptions.DEFAULT_PYTHON, "numpy", "python3-numpy") == null, "no python3 with numpy");
        run("gemm", "--threads", "1", "--compare", "--torch-script", temp.resolve("missing.py").toString());
        String table = printed.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("no PyTorch comparison: "), table);
        for (String shape : new String[] {" 2x784x256 ", " 784x2x256 ", " 2x256x784 ", " 2x3136x128 ", " 3136x2x128 ", " 2x128x3136 "}) {
            String row = table.lines().filter(l -> l.contains(shape)).findFirst().orElseThrow();
            String[] cells = row.trim().split("\\s+");
            double speed = Double.parseDouble(cells[cells.length - 1]);
            assertTrue(speed > 0 && Double.isFinite(speed), row);
        }
        assertTrue(table.lines().filter(l -> l.contains(" 8x8x8 ")).findFirst().orElseThrow().trim().endsWith("-"),
                "no reference for the square sizes without PyTorch: " + table);
    }

    @Test
    void numpyNamesTheProductsByLayoutAndShape() {
        assertEquals("numpy gemm_tn 784x64x256", NumpyReference.name(new GemmSuite.Case(784, 64, 256, GemmSuite.Layout.TN)));
        assertEquals("numpy gemm_nn 64x784x256", NumpyReference.name(new GemmSuite.Case(64, 784, 256, GemmSuite.Layout.NN)));
        assertTrue(NumpyReference.isNumpyName("numpy gemm_nt 64x256x784"));
        assertTrue(!NumpyReference.isNumpyName("sgemm n=256"));
    }

    @Test
    void compareWithoutTheScriptSaysSo() throws Exception {
        run("conv", "--compare", "--torch-script", temp.resolve("missing.py").toString());
        String table = printed.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("no PyTorch comparison: "), table);
    }
}
