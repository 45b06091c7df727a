package ignis.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.BackendRegistry;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Generator;
import ignis.tensor.NeuralOps;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import ignis.tensor.spi.Conv2dKernels;
import ignis.tensor.spi.Conv2dParams;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The im2col + GEMM convolution against the cpu (reference) backend's result of the same op, in
 * float64 and float32: sizes where the float32 GEMM fast paths run, groups, non-dense operands, batches
 * in several chunks, and no scratch buffer left behind.
 */
class ClConvTest {

    private static final Device CL = Device.of("opencl:0");

    /** n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups, bias. */
    private static final int[][] CASES = {
        {4, 16, 12, 12, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {3, 12, 11, 9, 18, 3, 2, 2, 1, 2, 1, 1, 2, 3, 0},
        {2, 8, 10, 10, 8, 5, 5, 3, 2, 2, 0, 1, 1, 8, 1},
        {5, 4, 7, 7, 6, 1, 1, 1, 1, 0, 0, 1, 1, 2, 1},
    };

    private static OpenCLBackend backend() {
        Assumptions.assumeTrue(OpenCLBackend.available(), () -> "skipped: " + OpenCLBackend.unavailableReason());
        return (OpenCLBackend) BackendRegistry.backendFor(CL);
    }

    @Test
    void theBackendProvidesConvolutionKernels() {
        OpenCLBackend b = backend();
        assertSame(b.optional(Conv2dKernels.class), b.optional(Conv2dKernels.class));
        assertTrue(b.optional(Conv2dKernels.class) instanceof ClConv);
    }

    @Test
    void convolutionAndGradientsMatchTheCpu() {
        OpenCLBackend b = backend();
        for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            if (t == DType.FLOAT64 && !b.cl.fp64) {
                continue;
            }
            for (int[] k : CASES) {
                check(b, t, k, false);
            }
        }
    }

    @Test
    void nonDenseOperandsAndChunkedBatchesMatchTheCpu() {
        OpenCLBackend b = backend();
        long saved = ClConv.columnBytes;
        try {
            ClConv.columnBytes = 1; // one sample a chunk
            for (int[] k : CASES) {
                check(b, DType.FLOAT32, k, true);
            }
            ClConv.columnBytes = 3L * 16 * 9 * 144 * 4; // 3 samples a chunk for the first case: 4 = 3 + 1
            check(b, DType.FLOAT32, CASES[0], false);
        } finally {
            ClConv.columnBytes = saved;
        }
    }

    private static void check(OpenCLBackend b, DType t, int[] k, boolean strided) {
        int n = k[0], c = k[1], h = k[2], w = k[3], oc = k[4], kh = k[5], kw = k[6];
        Conv2dParams p = new Conv2dParams(k[7], k[8], k[9], k[10], k[11], k[12], k[13]);
        b.synchronize();
        long live = b.cl.liveBytes();
        try (var scope = Tensors.scope()) {
            Tensor x = Tensors.randn(Shape.of(n, c, h, w), DType.FLOAT64, Device.CPU, new Generator(1));
            Tensor wt = Tensors.randn(Shape.of(oc, c / k[13], kh, kw), DType.FLOAT64, Device.CPU, new Generator(2));
            Tensor bias = k[14] == 1 ? Tensors.randn(Shape.of(oc), DType.FLOAT64, Device.CPU, new Generator(3)) : null;
            Tensor y = NeuralOps.conv2d(x, wt, bias, p);
            Tensor go = Tensors.randn(y.shape(), DType.FLOAT64, Device.CPU, new Generator(4));
            Tensor gx = NeuralOps.conv2dBackwardInput(x.shape(), go, wt, p);
            Tensor gw = NeuralOps.conv2dBackwardWeight(wt.shape(), go, x, p);

            Tensor cx = onDevice(x, t, strided);
            Tensor cw = onDevice(wt, t, strided);
            Tensor cb = bias == null ? null : bias.to(t).to(CL);
            Tensor cgo = onDevice(go, t, strided);
            String what = t + " " + java.util.Arrays.toString(k) + (strided ? " strided" : "");
            close(y, NeuralOps.conv2d(cx, cw, cb, p), t, "forward " + what);
            close(gx, NeuralOps.conv2dBackwardInput(cx.shape(), cgo, cw, p), t, "grad input " + what);
            close(gw, NeuralOps.conv2dBackwardWeight(cw.shape(), cgo, cx, p), t, "grad weight " + what);
        }
        b.synchronize();
        assertEquals(live, b.cl.liveBytes(), "device buffers left behind");
    }

    /** t on opencl:0; strided: the same values in a view whose last two axes are transposed from storage. */
    private static Tensor onDevice(Tensor cpu, DType t, boolean strided) {
        Tensor d = cpu.to(t).to(CL);
        return strided ? d.transpose(2, 3).contiguous().transpose(2, 3) : d;
    }

    private static void close(Tensor expected, Tensor actual, DType t, String what) {
        assertEquals(CL, actual.device(), what);
        assertEquals(expected.shape(), actual.shape(), what);
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        double tol = t == DType.FLOAT64 ? 1e-10 : 1e-4;
        for (int i = 0; i < e.length; i++) {
            int at = i;
            double diff = Math.abs(e[i] - a[i]);
            assertTrue(diff <= tol * (1 + Math.abs(e[i])), () -> what + ": element " + at + " is " + a[at] + ", expected " + e[at]);
        }
    }
}
