package ignis.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.Device;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The float32 GEMM kernels (rows of b dense: 8 x 8 float8 blocks; a and b dense along k: 4 x 4
 * float8 dot products; any other layout: the generic blocked kernel) against a float64 product
 * computed here, at sizes that are not multiples of the blocks, batched and transposed.
 */
class GemmKernelsTest {

    private static final Device OPENCL = Device.of("opencl:0");

    @ParameterizedTest(name = "[{0}] x [{1}] x [{2}] batch {3}, a transposed {4}, b transposed {5}")
    @CsvSource({
        "1, 1, 1, 1, false, false",
        "13, 17, 9, 1, false, false",
        "13, 17, 9, 1, false, true",
        "13, 17, 9, 1, true, false",
        "13, 17, 9, 1, true, true",
        "64, 130, 100, 1, false, true",
        "33, 40, 67, 3, false, false",
        "33, 40, 67, 3, false, true",
        "5, 3, 7, 2, false, true",
    })
    void matchesAFloat64Product(int m, int n, int k, int batch, boolean transposeA, boolean transposeB) {
        Assumptions.assumeTrue(OpenCLBackend.available(), () -> "skipped: " + OpenCLBackend.unavailableReason());
        Random random = new Random(31L * m + 7L * n + k);
        float[] av = new float[batch * m * k];
        float[] bv = new float[batch * k * n];
        for (int i = 0; i < av.length; i++) {
            av[i] = random.nextFloat() * 2 - 1;
        }
        for (int i = 0; i < bv.length; i++) {
            bv[i] = random.nextFloat() * 2 - 1;
        }
        try (var scope = Tensors.scope()) {
            // Stored as [batch, k, m] when transposed, so that the view [batch, m, k] has a's values.
            Tensor a = transposeA ? Tensors.of(transposed(av, batch, m, k), batch, k, m).to(OPENCL).transpose(1, 2)
                    : Tensors.of(av, batch, m, k).to(OPENCL);
            Tensor b = transposeB ? Tensors.of(transposed(bv, batch, k, n), batch, n, k).to(OPENCL).transpose(1, 2)
                    : Tensors.of(bv, batch, k, n).to(OPENCL);
            float[] got = a.matmul(b).toFloatArray();
            for (int p = 0; p < batch; p++) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double exact = 0;
                        double bound = 0;
                        for (int q = 0; q < k; q++) {
                            double term = (double) av[(p * m + i) * k + q] * bv[(p * k + q) * n + j];
                            exact += term;
                            bound += Math.abs(term);
                        }
                        // the kit's bound for sums in any order: n u sum |terms|
                        assertEquals(exact, got[(p * m + i) * n + j], k * 0x1p-24 * bound + 1e-30,
                                "element [" + p + ", " + i + ", " + j + "]");
                    }
                }
            }
        }
    }

    /** values of [batch, rows, cols] stored as [batch, cols, rows]. */
    private static float[] transposed(float[] values, int batch, int rows, int cols) {
        float[] out = new float[values.length];
        for (int p = 0; p < batch; p++) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    out[(p * cols + c) * rows + r] = values[(p * rows + r) * cols + c];
                }
            }
        }
        return out;
    }
}
