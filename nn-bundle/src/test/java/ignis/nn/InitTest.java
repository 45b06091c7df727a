package ignis.nn;

import static ignis.nn.NnTesting.maxAbs;
import static ignis.nn.NnTesting.mean;
import static ignis.nn.NnTesting.variance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.Generator;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** PyTorch's default initialisation of each layer, and torch.nn.init, by bounds and statistics. */
class InitTest {

    /** Values of U(-b, b): inside the bound, reaching near it, mean about 0, variance about b^2/3. */
    private static void assertUniform(double bound, Tensor t) {
        double[] v = t.toDoubleArray();
        assertTrue(maxAbs(v) <= bound, "max |value| " + maxAbs(v) + " exceeds the bound " + bound);
        assertTrue(maxAbs(v) > 0.95 * bound, "max |value| " + maxAbs(v) + " should come near the bound " + bound);
        double sigma = bound / Math.sqrt(3);
        assertEquals(0, mean(v), 5 * sigma / Math.sqrt(v.length), "mean");
        assertEquals(sigma * sigma, variance(v), 0.06 * sigma * sigma, "variance");
    }

    private static void assertNormal(double std, Tensor t) {
        double[] v = t.toDoubleArray();
        assertEquals(0, mean(v), 5 * std / Math.sqrt(v.length), "mean");
        assertEquals(std, Math.sqrt(variance(v)), 0.03 * std, "standard deviation");
    }

    @Test
    void linearDefaultsToUniformOneOverSqrtFanIn() {
        Tensors.manualSeed(1);
        try (Linear linear = new Linear(400, 300)) {
            assertUniform(1 / Math.sqrt(400), linear.weight());
            double[] bias = linear.bias().toDoubleArray();
            assertTrue(maxAbs(bias) <= 0.05 && maxAbs(bias) > 0.04, "bias within 1/sqrt(fan_in): " + maxAbs(bias));
        }
    }

    /** With PyTorch's generator the default initialisations are PyTorch's, bit for bit: the bounds round to the same floats. */
    @Test
    void withTorchsGeneratorLayersStartFromTorchsWeights() {
        Generator previous = Generator.defaultGenerator();
        try {
            // torch.manual_seed(0); torch.nn.Linear(3, 2); torch.nn.Conv2d(2, 3, 2) after torch.manual_seed(0) again (PyTorch 1.13)
            Generator.setDefault(Generator.mt19937(0));
            try (Linear linear = new Linear(3, 2)) {
                assertArrayEquals(new double[] {-0.004322517663240433, 0.3097158372402191, -0.4751853346824646, -0.4248946011066437,
                    -0.2223689705133438, 0.15482072532176971}, linear.weight().toDoubleArray());
                assertArrayEquals(new double[] {-0.011439144611358643, 0.45777493715286255}, linear.bias().toDoubleArray());
            }
            Tensors.manualSeed(0);
            try (Conv2d conv = new Conv2d(2, 3, 2)) {
                double[] w = conv.weight().toDoubleArray();
                assertArrayEquals(new double[] {-0.0026469905860722065, 0.18966144323349, -0.2909903824329376}, Arrays.copyOf(w, 3));
                assertArrayEquals(new double[] {-0.07276134938001633, 0.26456815004348755}, Arrays.copyOfRange(w, 22, 24));
                assertArrayEquals(new double[] {-0.05698692053556442, 0.037410933524370193, 0.3201341927051544}, conv.bias().toDoubleArray());
            }
            // torch.manual_seed(1); torch.nn.Linear(784, 256): the first hidden layer of the Fashion-MNIST MLP
            Tensors.manualSeed(1);
            try (Linear linear = new Linear(784, 256)) {
                double[] w = linear.weight().toDoubleArray();
                assertArrayEquals(new double[] {0.018402257934212685, -0.015763510018587112, -0.0069236247800290585}, Arrays.copyOf(w, 3));
                assertArrayEquals(new double[] {-0.031714458018541336, 0.022345416247844696}, Arrays.copyOfRange(w, w.length - 2, w.length));
                assertEquals(-0.0027052038349211216, linear.bias().toDoubleArray()[255]);
            }
        } finally {
            Generator.setDefault(previous);
        }
    }

    @Test
    void convolutionsCountFanInPerGroup() {
        Tensors.manualSeed(2);
        try (Conv2d conv = new Conv2d(8, 64, 3, 1, 0, 1, 2, true); Conv1d conv1 = new Conv1d(6, 96, 5, 1, 0, 1, 3, true)) {
            assertEquals(ignis.tensor.Shape.of(64, 4, 3, 3), conv.weight().shape());
            assertUniform(1 / Math.sqrt(4 * 9), conv.weight());          // fan_in = in/groups * kh * kw = 36
            assertTrue(maxAbs(conv.bias().toDoubleArray()) <= 1 / 6.0);
            assertEquals(ignis.tensor.Shape.of(96, 2, 5), conv1.weight().shape());
            assertUniform(1 / Math.sqrt(2 * 5), conv1.weight());         // fan_in = 6/3 * 5 = 10
        }
    }

    @Test
    void normalisationLayersStartAtTheIdentity() {
        try (BatchNorm2d bn = new BatchNorm2d(3); LayerNorm ln = new LayerNorm(4)) {
            assertArrayEquals(new double[] {1, 1, 1}, bn.weight().toDoubleArray());
            assertArrayEquals(new double[] {0, 0, 0}, bn.bias().toDoubleArray());
            assertArrayEquals(new double[] {0, 0, 0}, bn.runningMean().toDoubleArray());
            assertArrayEquals(new double[] {1, 1, 1}, bn.runningVar().toDoubleArray());
            assertEquals(0, bn.getBuffer("num_batches_tracked").itemLong());
            assertArrayEquals(new double[] {1, 1, 1, 1}, ln.weight().toDoubleArray());
            assertArrayEquals(new double[] {0, 0, 0, 0}, ln.bias().toDoubleArray());
        }
    }

    @Test
    void embeddingDrawsFromTheStandardNormal() {
        Tensors.manualSeed(3);
        try (Embedding e = new Embedding(300, 100)) {
            assertNormal(1, e.weight());
        }
    }

    @Test
    void theSameSeedGivesTheSameModel() {
        Tensors.manualSeed(11);
        try (Linear a = new Linear(5, 4)) {
            Tensors.manualSeed(11);
            try (Linear b = new Linear(5, 4)) {
                assertArrayEquals(a.weight().toDoubleArray(), b.weight().toDoubleArray());
                assertArrayEquals(a.bias().toDoubleArray(), b.bias().toDoubleArray());
            }
        }
    }

    @Test
    void kaimingAndXavier() {
        Tensors.manualSeed(4);
        try (var scope = Tensors.scope()) {
            Tensor w = Tensors.empty(ignis.tensor.Shape.of(300, 200), ignis.tensor.DType.FLOAT32, ignis.tensor.Device.CPU)
                    .requiresGrad_(true); // a leaf that requires grad: Init works on it without a noGrad block
            assertUniform(Math.sqrt(6.0 / 500), Init.xavierUniform_(w));
            assertNormal(Math.sqrt(2.0 / 500), Init.xavierNormal_(w));
            assertNormal(2 * Math.sqrt(2.0 / 500), Init.xavierNormal_(w, 2));
            assertUniform(Math.sqrt(3) * Math.sqrt(2) / Math.sqrt(200), Init.kaimingUniform_(w));      // leaky_relu(0) = relu gain
            assertUniform(Math.sqrt(3) * Math.sqrt(2) / Math.sqrt(300), Init.kaimingUniform_(w, 0, "fan_out", "relu"));
            assertNormal(Math.sqrt(2) / Math.sqrt(200), Init.kaimingNormal_(w));
            assertNormal(1 / Math.sqrt(300), Init.kaimingNormal_(w, 0, "fan_out", "linear"));
            assertUniform(0.5, Init.uniform_(w, -0.5, 0.5, new Generator(9)));
            assertNormal(0.1, Init.normal_(w, 0, 0.1, new Generator(9)));
            Init.constant_(w, 0.25);
            double[] constant = w.toDoubleArray();
            assertEquals(0.25, mean(constant));
            assertEquals(0.25, maxAbs(constant));
            Tensor a = Init.uniform_(Tensors.empty(ignis.tensor.Shape.of(50), ignis.tensor.DType.FLOAT64, ignis.tensor.Device.CPU),
                    0, 1, new Generator(77));
            Tensor b = Init.uniform_(Tensors.empty(ignis.tensor.Shape.of(50), ignis.tensor.DType.FLOAT64, ignis.tensor.Device.CPU),
                    0, 1, new Generator(77));
            assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), "a given generator makes draws repeatable");
        }
    }

    @Test
    void gainsAndFans() {
        assertEquals(1, Init.calculateGain("linear"));
        assertEquals(1, Init.calculateGain("conv2d"));
        assertEquals(1, Init.calculateGain("sigmoid"));
        assertEquals(5.0 / 3, Init.calculateGain("tanh"));
        assertEquals(Math.sqrt(2), Init.calculateGain("relu"));
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.calculateGain("leaky_relu"));
        assertEquals(Math.sqrt(2 / (1 + 5.0)), Init.calculateGain("leaky_relu", Math.sqrt(5)), 1e-15);
        assertEquals(0.75, Init.calculateGain("selu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish"));
        assertTrue(e.getMessage().contains("swish"), e.getMessage());
        try (var scope = Tensors.scope()) {
            assertArrayEquals(new long[] {3 * 5 * 7, 4 * 5 * 7}, Init.calculateFanInAndFanOut(Tensors.zeros(4, 3, 5, 7)));
            assertThrows(IllegalArgumentException.class, () -> Init.calculateFanInAndFanOut(Tensors.zeros(5)));
            assertThrows(IllegalArgumentException.class, () -> Init.kaimingUniform_(Tensors.zeros(2, 2), 0, "fan_avg", "relu"));
        }
    }
}
