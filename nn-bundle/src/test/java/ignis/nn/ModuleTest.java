package ignis.nn;

import static ignis.nn.NnTesting.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.GradMode;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Registration, names, modes, devices, state dicts, printing and lifecycle of {@link Module}. */
class ModuleTest {

    /** A model with own parameters, a buffer, and nested submodules, written as a PyTorch model would be. */
    static final class Net extends Module {
        final Sequential features;
        final Linear head;

        Net() {
            features = registerModule("features", new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 3)));
            head = registerModule("head", new Linear(3, 1, false));
            registerParameter("scale", Tensors.ones(1));
            registerBuffer("steps", Tensors.zeros(Shape.of(1), DType.INT64, Device.CPU));
        }

        @Override
        public Tensor forward(Tensor x) {
            try (var scope = Tensors.scope()) {
                return scope.keep(head.forward(features.forward(x)).mul(getParameter("scale")));
            }
        }
    }

    private static Sequential cnn() {
        return new Sequential(new Conv2d(1, 4, 3, 1, 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(16, 3));
    }

    @Test
    void parametersAreNamedWithPyTorchsDottedNamesInRegistrationOrder() {
        try (Net net = new Net()) {
            assertEquals(List.of("scale", "features.0.weight", "features.0.bias", "features.2.weight", "features.2.bias",
                    "head.weight"), List.copyOf(net.namedParameters().keySet()));
            assertEquals(6, net.parameters().size());
            assertEquals(List.of("steps"), List.copyOf(net.namedBuffers().keySet()));
            assertEquals(List.of("features", "head"), List.copyOf(net.namedChildren().keySet()));
            assertEquals(List.of("", "features", "features.0", "features.1", "features.2", "head"),
                    List.copyOf(net.namedModules().keySet()));
            assertSame(net.features.get(2), net.getSubmodule("features.2"));
            assertSame(((Linear) net.features.get(0)).weight(), net.getParameter("features.0.weight"));
            assertNull(net.getParameter("head.bias"), "bias=False registers an absent parameter");
            for (Tensor p : net.parameters()) {
                assertTrue(p.isLeaf() && p.requiresGrad(), "parameters are leaves that require grad");
            }
        }
    }

    @Test
    void stateDictKeysFollowPyTorch() {
        try (Sequential model = cnn(); var scope = Tensors.scope()) {
            Map<String, Tensor> state = model.stateDict();
            assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                    "1.num_batches_tracked", "5.weight", "5.bias"), List.copyOf(state.keySet()));
            assertEquals(DType.INT64, state.get("1.num_batches_tracked").dtype());
            assertEquals(Shape.of(4, 1, 3, 3), state.get("0.weight").shape());
            Tensor entry = state.get("0.weight");
            assertFalse(entry.requiresGrad(), "state dict values are detached");
            assertTrue(entry.sharesMemoryWith(model.getParameter("0.weight")), "and share the module's memory");
        }
    }

    @Test
    void stateDictRoundTripReproducesTheModel() {
        try (Sequential a = cnn(); Sequential b = cnn(); var scope = Tensors.scope()) {
            Tensor x = Tensors.randn(2, 1, 4, 4);
            a.train();
            a.forward(x); // moves a's running statistics away from b's
            a.eval();
            b.eval();
            double[] before = b.forward(x).toDoubleArray();
            Module.IncompatibleKeys keys = b.loadStateDict(a.stateDict(), true);
            assertEquals(List.of(), keys.missingKeys());
            assertEquals(List.of(), keys.unexpectedKeys());
            double[] expected = a.forward(x).toDoubleArray();
            assertClose(expected, b.forward(x), 0);
            assertFalse(java.util.Arrays.equals(before, expected));
            assertEquals(1, b.getBuffer("1.num_batches_tracked").itemLong());
            // The values were copied: b's parameters are still b's own memory, leaves that require grad.
            Tensor w = b.getParameter("0.weight");
            assertFalse(w.sharesMemoryWith(a.getParameter("0.weight")));
            assertTrue(w.isLeaf() && w.requiresGrad());
        }
    }

    @Test
    void strictLoadingNamesMissingAndUnexpectedKeysAndCopiesNothing() {
        try (Linear a = new Linear(2, 2); Linear b = new Linear(2, 2); var scope = Tensors.scope()) {
            double[] original = b.weight().toDoubleArray();
            Map<String, Tensor> state = new LinkedHashMap<>(a.stateDict());
            state.remove("bias");
            state.put("extra", Tensors.zeros(1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(state, true));
            assertTrue(e.getMessage().contains("Missing key(s) in state_dict: \"bias\""), e.getMessage());
            assertTrue(e.getMessage().contains("Unexpected key(s) in state_dict: \"extra\""), e.getMessage());
            assertArrayEquals(original, b.weight().toDoubleArray(), "a failed load copies nothing");

            Module.IncompatibleKeys keys = b.loadStateDict(state, false);
            assertEquals(List.of("bias"), keys.missingKeys());
            assertEquals(List.of("extra"), keys.unexpectedKeys());
            assertArrayEquals(a.weight().toDoubleArray(), b.weight().toDoubleArray());
        }
    }

    /** As PyTorch: a checkpoint without BatchNorm's num_batches_tracked (older or converted) loads, the count set to 0. */
    @Test
    void batchNormCheckpointsWithoutTheBatchCountLoadStrictly() {
        try (Sequential a = new Sequential(new Linear(2, 3), new BatchNorm1d(3));
             Sequential b = new Sequential(new Linear(2, 3), new BatchNorm1d(3)); var scope = Tensors.scope()) {
            a.forward(Tensors.of(new double[] {1, 2, 3, 5}, 2, 2).to(DType.FLOAT32));
            b.forward(Tensors.ones(2, 2));
            b.forward(Tensors.ones(2, 2));
            Map<String, Tensor> state = new LinkedHashMap<>(a.stateDict());
            state.remove("1.num_batches_tracked");
            Module.IncompatibleKeys keys = b.loadStateDict(state, true);
            assertEquals(List.of(), keys.missingKeys());
            assertEquals(0, b.getBuffer("1.num_batches_tracked").itemLong());
            assertArrayEquals(a.getBuffer("1.running_mean").toDoubleArray(), b.getBuffer("1.running_mean").toDoubleArray());

            state.remove("1.running_var");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(state, true));
            assertEquals("Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: \"1.running_var\".",
                    e.getMessage());
        }
    }

    @Test
    void shapeMismatchFailsInAnyModeNamingKeyAndShapes() {
        try (Linear a = new Linear(3, 2); Linear b = new Linear(2, 2); var scope = Tensors.scope()) {
            Map<String, Tensor> state = a.stateDict();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(state, false));
            assertTrue(e.getMessage().contains("size mismatch for weight: copying a param with shape [2, 3] from checkpoint, "
                    + "the shape in current model is [2, 2]"), e.getMessage());

            double[] bias = b.bias().toDoubleArray();
            Map<String, Tensor> withNull = new LinkedHashMap<>(b.stateDict());
            withNull.put("weight", null);
            withNull.put("bias", Tensors.zeros(2));
            IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(withNull, false));
            assertTrue(n.getMessage().contains("null value for weight"), n.getMessage());
            assertArrayEquals(bias, b.bias().toDoubleArray(), "a failed load copies nothing");
        }
    }

    @Test
    void trainAndEvalAreRecursive() {
        try (Net net = new Net()) {
            assertTrue(net.isTraining());
            net.eval();
            for (Module m : net.modules()) {
                assertFalse(m.isTraining(), m.toString());
            }
            net.train();
            assertTrue(net.features.get(1).isTraining());
        }
    }

    @Test
    void applyVisitsChildrenBeforeTheirParent() {
        try (Net net = new Net()) {
            List<String> visited = new ArrayList<>();
            net.apply(m -> visited.add(m.getClass().getSimpleName()));
            assertEquals(List.of("Linear", "ReLU", "Linear", "Sequential", "Linear", "Net"), visited);
            net.apply(m -> {
                if (m instanceof Linear linear) {
                    Init.zeros_(linear.weight());
                }
            });
            assertEquals(0, NnTesting.maxAbs(net.getParameter("head.weight").toDoubleArray()));
        }
    }

    @Test
    void zeroGradDropsOrZeroesGradients() {
        try (Net net = new Net()) {
            try (var scope = Tensors.scope()) {
                net.forward(Tensors.ones(4, 2)).sum().backward();
            }
            for (Tensor p : net.parameters()) {
                assertTrue(p.grad() != null, "every parameter got a gradient in its own grad()");
            }
            net.zeroGrad(false);
            for (Tensor p : net.parameters()) {
                assertEquals(0, NnTesting.maxAbs(p.grad().toDoubleArray()));
            }
            net.zeroGrad();
            for (Tensor p : net.parameters()) {
                assertNull(p.grad());
            }
        }
    }

    @Test
    void parametersOutliveTheScopeTheModelWasBuiltIn() {
        Linear linear;
        try (var scope = Tensors.scope()) {
            linear = new Linear(2, 2);
        }
        try (linear; var scope = Tensors.scope()) {
            assertFalse(linear.weight().isClosed());
            Tensor y = linear.forward(Tensors.ones(1, 2));
            assertEquals(Shape.of(1, 2), y.shape());
        }
        assertTrue(linear.weight().isClosed(), "close() releases the parameters");
    }

    @Test
    void closingAModelReleasesEveryTensorItMade() {
        long before = NnTesting.settledLiveTensors();
        try (Sequential model = cnn()) {
            try (var scope = Tensors.scope()) {
                Tensor loss = model.forward(Tensors.randn(2, 1, 4, 4)).sum();
                loss.backward();
                model.stateDict();
            }
            model.zeroGrad();
            try (var scope = Tensors.scope()) {
                model.forward(Tensors.randn(2, 1, 4, 4)).sum().backward();
            }
        }
        assertEquals(before, Tensors.liveTensors(), "live tensors after closing the model");
    }

    @Test
    void toDeviceKeepsLeavesAndToDTypeConvertsFloatingPointOnly() {
        try (Net net = new Net(); var scope = Tensors.scope()) {
            Tensor w = net.getParameter("features.0.weight");
            assertSame(net, net.to(Device.CPU));
            assertSame(w, net.getParameter("features.0.weight"), "already there: nothing is replaced");

            net.forward(Tensors.ones(1, 2)).sum().backward();
            double[] values = w.toDoubleArray();
            net.to(DType.FLOAT64);
            Tensor w64 = net.getParameter("features.0.weight");
            assertEquals(DType.FLOAT64, w64.dtype());
            assertTrue(w64.isLeaf() && w64.requiresGrad());
            assertEquals(DType.FLOAT64, w64.grad().dtype(), "gradients move with their parameters");
            assertClose(values, w64, 1e-7);
            assertTrue(w.isClosed(), "the old handle is released");
            assertEquals(DType.INT64, net.getBuffer("steps").dtype(), "integral buffers keep their dtype");
            Tensor y = net.forward(Tensors.ones(Shape.of(1, 2), DType.FLOAT64, Device.CPU));
            assertEquals(DType.FLOAT64, y.dtype());
            net.zeroGrad();
            y.sum().backward();
            assertTrue(w64.grad() != null);
        }
    }

    @Test
    void tiedWeightsShareOneParameterAndOneGradient() {
        try (var scope = Tensors.scope()) {
            Linear encoder = new Linear(3, 3, false);
            Linear decoder = new Linear(3, 3, false);
            decoder.registerParameter("weight", encoder.weight());
            try (Sequential model = new Sequential(encoder, decoder)) {
                assertSame(encoder.weight(), decoder.weight());
                assertEquals(List.of("0.weight"), List.copyOf(model.namedParameters().keySet()), "each parameter once");
                assertEquals(List.of("0.weight", "1.weight"), List.copyOf(model.stateDict().keySet()), "the state dict keeps both");
                model.forward(Tensors.ones(1, 3)).sum().backward();
                assertTrue(encoder.weight().grad() != null);
                model.to(DType.FLOAT64);
                assertSame(encoder.weight(), decoder.weight(), "still tied after moving");
                encoder.close();
                assertFalse(decoder.weight().isClosed(), "a tied weight stays open while a module still holds it");
            }
            assertTrue(encoder.weight().isClosed());
        }
    }

    /**
     * PyTorch's state_dict walks every registered name, without deduplicating modules: for
     * Sequential(lin, ReLU(), lin), torch 1.13 gives keys 0.weight, 0.bias, 2.weight, 2.bias, and
     * load_state_dict(strict=False) of the 0.* keys alone reports 2.weight and 2.bias missing.
     */
    @Test
    void aSubmoduleRegisteredTwiceIsSavedAndLoadedUnderBothNames() {
        try (var scope = Tensors.scope()) {
            Linear lin = new Linear(2, 2);
            try (Sequential model = new Sequential(lin, new ReLU(), lin)) {
                assertEquals(List.of("0.weight", "0.bias"), List.copyOf(model.namedParameters().keySet()), "parameters once");
                Map<String, Tensor> state = model.stateDict();
                assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(state.keySet()));

                Module.IncompatibleKeys keys = model.loadStateDict(state, true);
                assertEquals(List.of(), keys.unexpectedKeys(), "a PyTorch checkpoint of this model loads strictly");

                Map<String, Tensor> half = new LinkedHashMap<>(state);
                half.remove("2.weight");
                half.remove("2.bias");
                assertEquals(List.of("2.weight", "2.bias"), model.loadStateDict(half, false).missingKeys());
            }
        }
    }

    /** torch 1.13: ModuleDict({"a": lin, "b": lin, "c": ReLU()}) has keys a, b, c, len 3, and md["b"] is lin. */
    @Test
    void aModuleDictListsEveryKeyOfASharedModule() {
        try (var scope = Tensors.scope()) {
            Linear lin = new Linear(2, 2);
            ReLU relu = new ReLU();
            try (ModuleDict dict = new ModuleDict().put("a", lin).put("b", lin).put("c", relu)) {
                assertEquals(List.of("a", "b", "c"), List.copyOf(dict.keys()));
                assertEquals(3, dict.size());
                assertSame(lin, dict.get("b"));
                assertTrue(dict.containsKey("b"));
                assertEquals(List.of(lin, lin, relu), dict.values());
                assertEquals(List.of("a", "b", "c"), List.copyOf(dict.items().keySet()));
                assertEquals(List.of("a.weight", "a.bias", "b.weight", "b.bias"), List.copyOf(dict.stateDict().keySet()));
                assertThrows(IllegalArgumentException.class, () -> dict.get("d"));
            }
        }
    }

    @Test
    void aCycleOfModulesEndsTheStateDictWalk() {
        try (var scope = Tensors.scope()) {
            Sequential outer = new Sequential(new Linear(1, 1));
            Sequential inner = new Sequential();
            outer.add(inner);
            inner.add(outer);
            assertEquals(List.of("0.weight", "0.bias"), List.copyOf(outer.stateDict().keySet()));
            outer.close();
            assertTrue(inner.isClosed());
        }
    }

    @Test
    void registrationRejectsBadNames() {
        try (Net net = new Net(); var scope = Tensors.scope()) {
            IllegalArgumentException dotted = assertThrows(IllegalArgumentException.class, () -> net.registerParameter("a.b", Tensors.ones(1)));
            assertTrue(dotted.getMessage().contains("can't contain \".\""), dotted.getMessage());
            assertThrows(IllegalArgumentException.class, () -> net.registerBuffer("", Tensors.ones(1)));
            IllegalArgumentException taken = assertThrows(IllegalArgumentException.class, () -> net.registerBuffer("head", Tensors.ones(1)));
            assertTrue(taken.getMessage().contains("already a module"), taken.getMessage());
            IllegalArgumentException integral = assertThrows(IllegalArgumentException.class,
                    () -> net.registerParameter("count", Tensors.arange(3)));
            assertTrue(integral.getMessage().contains("floating-point"), integral.getMessage());
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> net.getParameter("features.7.weight"));
            assertTrue(unknown.getMessage().contains("no child '7'"), unknown.getMessage());
        }
    }

    @Test
    void registeredParametersShareTheGivenMemoryAsNnParameterDoes() {
        try (var scope = Tensors.scope(); ModuleDict holder = new ModuleDict()) {
            Tensor data = Tensors.zeros(2);
            Tensor p = holder.registerParameter("p", data);
            assertTrue(p.sharesMemoryWith(data));
            assertNotSame(p, data);
            assertFalse(data.requiresGrad());
            try (GradMode.Scope off = GradMode.noGrad()) {
                p.add_(1.0);
            }
            assertArrayEquals(new float[] {1, 1}, data.toFloatArray());
        }
    }

    @Test
    void printsLikePyTorch() {
        try (Sequential model = cnn(); Net net = new Net()) {
            assertEquals("""
                    Sequential(
                      (0): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
                      (1): BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
                      (2): ReLU()
                      (3): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
                      (4): Flatten(start_dim=1, end_dim=-1)
                      (5): Linear(in_features=16, out_features=3, bias=True)
                    )""", model.toString());
            assertEquals("""
                    Net(
                      (features): Sequential(
                        (0): Linear(in_features=2, out_features=3, bias=True)
                        (1): ReLU()
                        (2): Linear(in_features=3, out_features=3, bias=True)
                      )
                      (head): Linear(in_features=3, out_features=1, bias=False)
                    )""", net.toString());
        }
        try (var layers = new ModuleList(new Conv2d(4, 8, 3, 2, 0, 2, 2, false), new Conv1d(2, 4, 5), new LayerNorm(10),
                new Dropout(0.25), new Embedding(10, 3, 0), new GELU("tanh"), new LeakyReLU(), new Softmax(1),
                new AdaptiveAvgPool2d(2, 3), new AvgPool2d(3), new BatchNorm1d(5, 1e-3, null, false, true), new CrossEntropyLoss(),
                new SmoothL1Loss("sum", 0.5))) {
            assertEquals("""
                    ModuleList(
                      (0): Conv2d(4, 8, kernel_size=(3, 3), stride=(2, 2), dilation=(2, 2), groups=2, bias=False)
                      (1): Conv1d(2, 4, kernel_size=(5,), stride=(1,))
                      (2): LayerNorm((10,), eps=1e-05, elementwise_affine=True)
                      (3): Dropout(p=0.25, inplace=False)
                      (4): Embedding(10, 3, padding_idx=0)
                      (5): GELU(approximate='tanh')
                      (6): LeakyReLU(negative_slope=0.01)
                      (7): Softmax(dim=1)
                      (8): AdaptiveAvgPool2d(output_size=(2, 3))
                      (9): AvgPool2d(kernel_size=3, stride=3, padding=0)
                      (10): BatchNorm1d(5, eps=0.001, momentum=None, affine=False, track_running_stats=True)
                      (11): CrossEntropyLoss()
                      (12): SmoothL1Loss(beta=0.5)
                    )""", layers.toString());
        }
    }

    @Test
    void containers() {
        try (var scope = Tensors.scope()) {
            Map<String, Module> named = new LinkedHashMap<>();
            named.put("fc", new Linear(2, 2));
            named.put("act", new Tanh());
            try (Sequential seq = new Sequential(named); ModuleList list = new ModuleList(); ModuleDict dict = new ModuleDict()) {
                assertEquals(List.of("fc.weight", "fc.bias"), List.copyOf(seq.namedParameters().keySet()));
                assertSame(named.get("act"), seq.get(-1));
                list.add(new Linear(1, 1)).add(new Linear(1, 2));
                assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), List.copyOf(list.namedParameters().keySet()));
                assertEquals(2, list.size());
                dict.put("a", new Identity()).put("b", new Sigmoid());
                assertEquals(List.of("a", "b"), List.copyOf(dict.keys()));
                assertTrue(dict.get("b") instanceof Sigmoid);
                assertThrows(UnsupportedOperationException.class, () -> list.forward(Tensors.ones(1)));
                assertThrows(IndexOutOfBoundsException.class, () -> list.get(2));
                Tensor x = Tensors.of(new float[] {0.5f, -1f}, 1, 2);
                Tensor y = seq.forward(x);
                Linear fc = (Linear) named.get("fc");
                double[] w = fc.weight().toDoubleArray();
                double[] b = fc.bias().toDoubleArray();
                double[] expected = {Math.tanh(0.5 * w[0] - w[1] + b[0]), Math.tanh(0.5 * w[2] - w[3] + b[1])};
                assertClose(expected, y, 1e-6);
                assertFalse(x.isClosed(), "Sequential never closes its input");
                Tensor same = new Sequential().forward(x);
                assertNotSame(x, same, "an empty Sequential returns a new handle");
            }
        }
    }
}
