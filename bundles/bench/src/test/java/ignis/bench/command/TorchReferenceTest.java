package ignis.bench.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TorchReferenceTest {

    /** The shape of {@code torch_bench.py --json}, cut down to what the command reads. */
    private static final String SCRIPT_OUTPUT = """
            {
             "blas": ["BLAS_INFO=open"],
             "pooled": [
              {
               "info": {"threads": 1, "torch": "1.13.0a0", "loadavg": ["1.0", "1.1", "1.2"]},
               "results": [
                {"group": "matmul", "name": "sgemm n=1024", "unit": "GFLOP/s", "median": 100.0, "min": 90.0, "max": 101.5,
                 "samples": [100.0, 90.0, 101.5]},
                {"group": "elementwise", "name": "add (out=)", "unit": "GB/s", "median": 30.0, "min": 20.0, "max": 31.0, "samples": [NaN]},
                {"group": "conv2d", "name": "conv 32->64 3x3 pad1 in[64, 32, 14, 14] fwd", "unit": "ms", "median": 4.6, "min": 4.5,
                 "max": 4.9, "samples": []}
               ]
              }
             ],
             "runs": []
            }
            """;

    private static Figure figure(double flops, double bytes, double medianSeconds) {
        return new Figure("g", "n", "s", "float32", 1, "cpu", flops, bytes,
                new Harness.Timing(medianSeconds, medianSeconds, 1, new double[] {medianSeconds}, 0), Optional.empty());
    }

    @Test
    void readsTheScriptsResultsByName() throws IOException {
        Map<String, TorchReference.Result> results = TorchReference.parse(SCRIPT_OUTPUT);
        assertEquals(3, results.size());
        TorchReference.Result gemm = results.get("sgemm n=1024");
        assertEquals("GFLOP/s", gemm.unit());
        assertEquals(100.0, gemm.median());
        assertArrayEquals(new double[] {100.0, 90.0, 101.5}, gemm.samples());
        assertArrayEquals(new double[0], results.get("add (out=)").samples(), "NaN is no sample");
        double flops = 2.0 * 1024 * 1024 * 1024;
        assertEquals(flops / 100e9, gemm.medianSeconds(figure(flops, 0, 1)).orElseThrow(), 1e-12);
        double bytes = 3 * 4.0 * 16 * 1024 * 1024;
        assertEquals(bytes / 30e9, results.get("add (out=)").medianSeconds(figure(0, bytes, 1)).orElseThrow(), 1e-12);
        assertEquals(4.6e-3, results.get("conv 32->64 3x3 pad1 in[64, 32, 14, 14] fwd").medianSeconds(figure(1, 0, 1)).orElseThrow(), 1e-12);
    }

    @Test
    void roundsPoolTheirSamples() throws IOException {
        TorchReference.Result one = TorchReference.parse(SCRIPT_OUTPUT).get("sgemm n=1024");
        TorchReference.Result two = new TorchReference.Result("sgemm n=1024", "GFLOP/s", 50, 40, new double[] {40, 50, 60});
        TorchReference.Result pooled = TorchReference.Result.pooled(List.of(one, two));
        assertEquals(6, pooled.samples().length);
        assertEquals((60 + 90) / 2.0, pooled.median());
        assertEquals(40, pooled.min());
        assertEquals(Map.of("sgemm n=1024", 6),
                BenchCommand.pooledReference(List.of(Map.of("sgemm n=1024", one), Map.of("sgemm n=1024", two)))
                        .entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().samples().length)));
    }

    @Test
    void aDocumentOfAnotherShapeIsAnError() {
        assertThrows(IOException.class, () -> TorchReference.parse("{\"pooled\": [{\"results\": [{\"name\": 3}]}]}"));
        assertThrows(IOException.class, () -> TorchReference.parse("[1, 2"));
        assertEquals(Map.of(), assertDoesNotThrow("{\"pooled\": []}"));
    }

    private static Map<String, TorchReference.Result> assertDoesNotThrow(String text) {
        try {
            return TorchReference.parse(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
