package ignis.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import ignis.tensor.DType;
import ignis.tensor.GradMode;
import ignis.tensor.NeuralOps;
import ignis.tensor.OptimizerSteps;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import ignis.tensor.ValuesAndIndices;
import ignis.tensor.spi.AdamCoefficients;
import ignis.tensor.spi.Conv2dKernels;
import ignis.tensor.spi.Conv2dParams;
import ignis.tensor.spi.Pool2dParams;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The training kernels of nn.cu against tensor-api's own compositions of the same ops on cpu (in
 * float64, and the Adam step bit for bit in float32 too): on the CPU emulator ({@link EmulatedNeuralKernelsTest}) and on a GPU ({@link GpuNeuralKernelsTest}).
 */
abstract class NeuralKernelsChecks {

    private static final Device CUDA = new Device("cuda", 0);
    /** float64 sums in another order, and on a GPU another math library: far below any real error. */
    private static final double TOLERANCE = 1e-12;

    private CudaBackend backend;
    private CudaApi api;

    /** The device under test, or an assumption failure saying why there is none. */
    abstract CudaApi open();
    private BackendRegistry.Registration registration;
    private TensorScope scope;
    private final Random random = new Random(42);

    private DeviceToItself deviceToItself;

    @BeforeEach
    void register() {
        deviceToItself = new DeviceToItself();
        api = open();
        backend = new CudaBackend(0, api);
        registration = BackendRegistry.register(backend, "emulator");
        scope = Tensors.scope();
    }

    @AfterEach
    void unregister() {
        if (scope != null) {
            scope.close();
            registration.close();
            backend.close();
        }
        deviceToItself.close();
    }

    private Tensor randomTensor(long... shape) {
        double[] values = new double[Math.toIntExact(Shape.of(shape).numel())];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return Tensors.of(values, shape);
    }

    /** The cuda results came from nn.cu's kernels, not from the core's compositions. */
    private void assertLaunched(String... kernels) {
        if (!(api instanceof EmulatedCudaApi emulated)) {
            return; // a GPU: JCudaApi records nothing
        }
        for (String kernel : kernels) {
            assertTrue(emulated.launched.contains(kernel), kernel + " was not launched: " + emulated.launched);
        }
    }

    private static void assertClose(Tensor expected, Tensor got) {
        assertEquals(expected.shape(), got.shape());
        double[] e = expected.toDoubleArray();
        double[] g = got.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], g[i], TOLERANCE * (1 + Math.abs(e[i])), "element " + i);
        }
    }

    @Test
    void conv2dAndItsGradientsMatchTheComposition() {
        // strides, padding and dilation differing per axis, and 2 groups
        checkConv(new Conv2dParams(2, 1, 1, 2, 1, 2, 2), randomTensor(2, 4, 7, 6), randomTensor(6, 2, 3, 3));
        // the Fashion-MNIST CNN's second layer, shrunk: "same" padding, one group
        checkConv(new Conv2dParams(1, 1, 1, 1, 1, 1, 1), randomTensor(3, 5, 6, 6), randomTensor(7, 5, 3, 3));
        // a transposed (non-dense) weight and a 1x1 kernel with stride 2
        checkConv(new Conv2dParams(2, 2, 0, 0, 1, 1, 1), randomTensor(2, 3, 5, 5), randomTensor(3, 4, 1, 1).transpose(0, 1));
    }

    @Test
    void aBatchLargerThanTheTemporaryBudgetRunsInChunks() {
        CudaNeuralKernels kernels = (CudaNeuralKernels) backend.optional(Conv2dKernels.class);
        kernels.convolution.maxTempBytes(2 * 5 * 9 * 36 * 8); // two samples' columns in float64: chunks of 2, 2, 1
        try {
            checkConv(new Conv2dParams(1, 1, 1, 1, 1, 1, 1), randomTensor(5, 5, 6, 6), randomTensor(4, 5, 3, 3));
        } finally {
            kernels.convolution.maxTempBytes(Im2colConvolution.MAX_TEMP_BYTES);
        }
    }

    private void checkConv(Conv2dParams params, Tensor input, Tensor weight) {
        Tensor bias = randomTensor(weight.shape().toArray()[0]);
        Tensor out = NeuralOps.conv2d(input, weight, bias, params);
        assertClose(out, NeuralOps.conv2d(input.to(CUDA), weight.to(CUDA), bias.to(CUDA), params));
        assertClose(NeuralOps.conv2d(input, weight, null, params), NeuralOps.conv2d(input.to(CUDA), weight.to(CUDA), null, params));
        Tensor gradOut = randomTensor(out.shape().toArray());
        assertClose(NeuralOps.conv2dBackwardInput(input.shape(), gradOut, weight, params),
                NeuralOps.conv2dBackwardInput(input.shape(), gradOut.to(CUDA), weight.to(CUDA), params));
        assertClose(NeuralOps.conv2dBackwardWeight(weight.shape(), gradOut, input, params),
                NeuralOps.conv2dBackwardWeight(weight.shape(), gradOut.to(CUDA), input.to(CUDA), params));
        assertLaunched("ignis_im2col", "ignis_col2im");
    }

    @Test
    void reductionsWithFewOutputsAndLargeBlocksRunInPartsWithTheSameResults() {
        Tensor wide = randomTensor(3, 20001);
        assertClose(wide.sum(1, false), wide.to(CUDA).sum(1, false));
        assertClose(wide.sum(), wide.to(CUDA).sum());
        Tensor floats = wide.to(DType.FLOAT32);
        assertArrayEquals(floats.amax(new int[] {1}, false).toFloatArray(), floats.to(CUDA).amax(new int[] {1}, false).toFloatArray());
        Tensor integers = Tensors.arange(0, 50000, 1, DType.INT64, Device.CPU).reshape(2, 25000);
        assertArrayEquals(integers.sum(1, false).toLongArray(), integers.to(CUDA).sum(1, false).toLongArray());
        Tensor withNaN = Tensors.cat(List.of(wide.reshape(-1), Tensors.of(new double[] {Double.NaN})), 0);
        assertTrue(Double.isNaN(withNaN.to(CUDA).amax(new int[] {0}, false).item()));
        assertLaunched("ignis_reduce_parts", "ignis_reduce");
    }

    @Test
    void theFusedAdamStepGivesTheCompositionsBits() {
        AdamCoefficients c = new AdamCoefficients(0.9, 0.999, 1e-8, 1e-3 / 0.1, Math.sqrt(1 - 0.999 * 0.999));
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (boolean amsgrad : new boolean[] {false, true}) {
                Tensor[] host = {randomTensor(37).to(dtype), randomTensor(37).to(dtype), randomTensor(37).to(dtype),
                        randomTensor(37).abs().to(dtype), amsgrad ? randomTensor(37).abs().to(dtype) : null};
                Tensor[] gpu = new Tensor[host.length];
                for (int i = 0; i < host.length; i++) {
                    gpu[i] = host[i] == null ? null : host[i].to(CUDA);
                }
                try (GradMode.Scope off = GradMode.noGrad()) {
                    for (int step = 0; step < 3; step++) {
                        OptimizerSteps.adam(host[0], host[1], host[2], host[3], host[4], c);
                        OptimizerSteps.adam(gpu[0], gpu[1], gpu[2], gpu[3], gpu[4], c);
                    }
                }
                for (int i = 0; i < host.length; i++) {
                    if (host[i] != null) {
                        assertArrayEquals(host[i].toDoubleArray(), gpu[i].toDoubleArray(), dtype + " amsgrad " + amsgrad + " operand " + i);
                    }
                }
            }
        }
        assertLaunched("ignis_adam");
    }

    @Test
    void maxPoolingAndItsGradientMatchTheComposition() {
        Pool2dParams params = new Pool2dParams(3, 2, 2, 1, 1, 1, 1, 2, true, false);
        Tensor input = randomTensor(2, 3, 7, 8);
        ValuesAndIndices expected = NeuralOps.maxPool2d(input, params);
        ValuesAndIndices got = NeuralOps.maxPool2d(input.to(CUDA), params);
        assertClose(expected.values(), got.values());
        assertArrayEquals(expected.indices().toLongArray(), got.indices().toLongArray());
        Tensor gradOut = randomTensor(expected.values().shape().toArray());
        assertClose(NeuralOps.maxPool2dBackward(gradOut, expected.indices(), input.shape(), params),
                NeuralOps.maxPool2dBackward(gradOut.to(CUDA), got.indices(), input.shape(), params));
        assertLaunched("ignis_max_pool_forward", "ignis_max_pool_backward");
    }

    @Test
    void averagePoolingAndItsGradientMatchTheComposition() {
        for (boolean includePad : new boolean[] {false, true}) {
            Pool2dParams params = new Pool2dParams(3, 3, 2, 2, 1, 1, 1, 1, true, includePad);
            Tensor input = randomTensor(2, 3, 8, 7);
            Tensor expected = NeuralOps.avgPool2d(input, params);
            assertClose(expected, NeuralOps.avgPool2d(input.to(CUDA), params));
            Tensor gradOut = randomTensor(expected.shape().toArray());
            assertClose(NeuralOps.avgPool2dBackward(gradOut, input.shape(), params),
                    NeuralOps.avgPool2dBackward(gradOut.to(CUDA), input.shape(), params));
        }
        assertLaunched("ignis_avg_pool_forward", "ignis_avg_pool_backward");
    }

    @Test
    void softmaxLogSoftmaxAndTheirGradientsMatchTheComposition() {
        Tensor input = randomTensor(3, 5, 4);
        for (int dim = 0; dim < 3; dim++) {
            Tensor softmax = input.softmax(dim);
            Tensor logSoftmax = input.logSoftmax(dim);
            assertClose(softmax, input.to(CUDA).softmax(dim));
            assertClose(logSoftmax, input.to(CUDA).logSoftmax(dim));
            Tensor gradOut = randomTensor(3, 5, 4);
            assertClose(NeuralOps.softmaxBackward(gradOut, softmax, dim),
                    NeuralOps.softmaxBackward(gradOut.to(CUDA), softmax.to(CUDA), dim));
            assertClose(NeuralOps.logSoftmaxBackward(gradOut, logSoftmax, dim),
                    NeuralOps.logSoftmaxBackward(gradOut.to(CUDA), logSoftmax.to(CUDA), dim));
        }
        assertLaunched("ignis_softmax", "ignis_softmax_backward");
    }
}
