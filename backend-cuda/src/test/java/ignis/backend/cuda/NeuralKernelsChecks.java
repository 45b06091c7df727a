package ignis.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import ignis.tensor.NeuralOps;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import ignis.tensor.ValuesAndIndices;
import ignis.tensor.spi.Conv2dParams;
import ignis.tensor.spi.Pool2dParams;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The training kernels of nn.cu against tensor-api's own compositions of the same ops on cpu, in
 * float64: on the CPU emulator ({@link EmulatedNeuralKernelsTest}) and on a GPU ({@link GpuNeuralKernelsTest}).
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

    @BeforeEach
    void register() {
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
        Conv2dParams params = new Conv2dParams(2, 1, 1, 2, 1, 2, 2);
        Tensor input = randomTensor(2, 4, 7, 6);
        Tensor weight = randomTensor(6, 2, 3, 3);
        Tensor bias = randomTensor(6);
        Tensor out = NeuralOps.conv2d(input, weight, bias, params);
        assertClose(out, NeuralOps.conv2d(input.to(CUDA), weight.to(CUDA), bias.to(CUDA), params));
        assertClose(NeuralOps.conv2d(input, weight, null, params), NeuralOps.conv2d(input.to(CUDA), weight.to(CUDA), null, params));
        Tensor gradOut = randomTensor(out.shape().toArray());
        assertClose(NeuralOps.conv2dBackwardInput(input.shape(), gradOut, weight, params),
                NeuralOps.conv2dBackwardInput(input.shape(), gradOut.to(CUDA), weight.to(CUDA), params));
        assertClose(NeuralOps.conv2dBackwardWeight(weight.shape(), gradOut, input, params),
                NeuralOps.conv2dBackwardWeight(weight.shape(), gradOut.to(CUDA), input.to(CUDA), params));
        assertLaunched("ignis_conv2d_forward", "ignis_conv2d_backward_input", "ignis_conv2d_backward_weight");
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
