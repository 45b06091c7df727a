package ignis.optim;

import static ignis.optim.OptimTesting.param;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(NoLeakedTensors.class)
@SuppressWarnings({"try", "unchecked"}) // scopes are opened for their effect; the dicts are edited through casts
class StateDictTest {

    private static final double[][] GRADS = {
        {0.5, -1.0, 2.0}, {0.3, 0.2, -1.0}, {-0.4, 0.6, 0.1}, {0.2, -0.3, 0.5}, {1.0, 0.1, -0.2},
    };

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("SGD", (Function<List<Tensor>, Optimizer>) ps -> new SGD(ps, SGD.options().lr(0.1).momentum(0.9)
                        .nesterov(true).weightDecay(0.01))),
                Arguments.of("Adam", (Function<List<Tensor>, Optimizer>) ps -> new Adam(ps, Adam.options().lr(0.05).amsgrad(true)
                        .betas(0.8, 0.9))),
                Arguments.of("AdamW", (Function<List<Tensor>, Optimizer>) ps -> new AdamW(ps, AdamW.options().lr(0.05).weightDecay(0.1))),
                Arguments.of("RMSprop", (Function<List<Tensor>, Optimizer>) ps -> new RMSprop(ps, RMSprop.options().lr(0.01)
                        .momentum(0.5).centered(true))),
                Arguments.of("Adagrad", (Function<List<Tensor>, Optimizer>) ps -> new Adagrad(ps, Adagrad.options().lr(0.1).lrDecay(0.1)
                        .initialAccumulatorValue(0.2))));
    }

    /** The same optimizer kind with its defaults, which loading must overwrite. */
    private static Optimizer fresh(String kind, List<Tensor> params) {
        return switch (kind) {
            case "SGD" -> new SGD(params, 0.5);
            case "Adam" -> new Adam(params, 0.5);
            case "AdamW" -> new AdamW(params, 0.5);
            case "RMSprop" -> new RMSprop(params, 0.5);
            case "Adagrad" -> new Adagrad(params, 0.5);
            default -> throw new AssertionError(kind);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void roundTripGivesIdenticalNextSteps(String kind, Function<List<Tensor>, Optimizer> make) {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1, -2, 0.5}, 3);
            Tensor q;
            try (Optimizer first = make.apply(List.of(p))) {
                for (int t = 0; t < 2; t++) {
                    p.setGrad(Tensors.of(GRADS[t]));
                    first.step();
                }
                Map<String, Object> saved;
                try (TensorScope saving = Tensors.scope()) {
                    saved = first.stateDict();
                    q = saving.keep(param(p.toDoubleArray(), 3));
                    try (Optimizer second = fresh(kind, List.of(q))) {
                        second.loadStateDict(saved);
                        saving.close(); // the dict's tensors are closed: the loaded state must be the optimizer's own copy
                        assertEquals(first.paramGroups().get(0).options(), second.paramGroups().get(0).options());
                        for (int t = 2; t < GRADS.length; t++) {
                            p.setGrad(Tensors.of(GRADS[t]));
                            q.setGrad(Tensors.of(GRADS[t]));
                            first.step();
                            second.step();
                            assertArrayEquals(p.toDoubleArray(), q.toDoubleArray(), 0.0, kind + " step " + (t + 1));
                        }
                    }
                }
            }
        }
    }

    @Test
    void structureFollowsPyTorch() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor a = param(new double[] {1, 2}, 2);
            Tensor b = param(new double[] {1, 2, 3, 4}, 2, 2);
            Tensor c = param(new double[] {5, 6, 7}, 3);
            try (Adam adam = new Adam(List.of(ParamGroup.of(List.of(a, b)), ParamGroup.of(List.of(c), Adam.options().lr(0.01))),
                    Adam.options().lr(0.1))) {
                for (int t = 0; t < 2; t++) {
                    a.setGrad(Tensors.of(new double[] {1, -1}));
                    c.setGrad(Tensors.of(new double[] {0.5, 0.5, 0.5}));
                    adam.step();
                }
                Map<String, Object> dict = adam.stateDict();
                assertEquals(List.of("state", "param_groups"), List.copyOf(dict.keySet()));
                Map<?, ?> state = (Map<?, ?>) dict.get("state");
                assertEquals(List.of(0, 2), List.copyOf(state.keySet()), "b has no gradient, so no state");
                Map<?, ?> s0 = (Map<?, ?>) state.get(0);
                assertEquals(List.of("step", "exp_avg", "exp_avg_sq"), List.copyOf(s0.keySet()));
                assertEquals(2L, s0.get("step"));
                Tensor expAvg = (Tensor) s0.get("exp_avg");
                // m after two steps of g = 1: 0.9 * 0.1 + 0.1 = 0.19
                assertArrayEquals(new double[] {0.19, -0.19}, expAvg.toDoubleArray(), 1e-15);
                assertNotSame(adam.state(a).get("exp_avg"), expAvg);
                expAvg.fill_(42);
                assertArrayEquals(new double[] {0.19, -0.19}, ((Tensor) adam.state(a).get("exp_avg")).toDoubleArray(), 1e-15,
                        "the state dict holds copies");
                List<?> groups = (List<?>) dict.get("param_groups");
                Map<?, ?> g0 = (Map<?, ?>) groups.get(0);
                Map<?, ?> g1 = (Map<?, ?>) groups.get(1);
                assertEquals(List.of("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "params"), List.copyOf(g0.keySet()));
                assertEquals(List.of(0, 1), g0.get("params"));
                assertEquals(List.of(2), g1.get("params"));
                assertEquals(0.1, g0.get("lr"));
                assertEquals(0.01, g1.get("lr"));
                assertEquals(List.of(0.9, 0.999), g1.get("betas"));
            }
        }
    }

    @Test
    void stateIsConvertedToTheParametersDtype() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p64 = param(new double[] {1, 2}, 2);
            Tensor p32 = Tensors.of(new float[] {1, 2}).requiresGrad_(true);
            try (SGD a = new SGD(List.of(p64), SGD.options().lr(0.1).momentum(0.9)); SGD b = new SGD(List.of(p32), 0.1)) {
                p64.setGrad(Tensors.of(new double[] {0.25, 0.5}));
                a.step();
                b.loadStateDict(a.stateDict());
                Tensor buf = (Tensor) b.state(p32).get("momentum_buffer");
                assertEquals(DType.FLOAT32, buf.dtype());
                assertArrayEquals(new double[] {0.25, 0.5}, buf.toDoubleArray());
                assertEquals(0.9, b.paramGroups().get(0).getDouble("momentum"));
            }
        }
    }

    @Test
    void acceptsWhatPyTorchSaves() {
        // torch saves step as a float tensor, SGD's momentum_buffer as None, and group keys such as foreach: None.
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1, 2}, 2);
            Tensor q = param(new double[] {3}, 1);
            try (Adam adam = new Adam(List.of(p), 0.1); SGD sgd = new SGD(List.of(q), 0.1)) {
                Map<String, Object> group = new LinkedHashMap<>();
                group.put("lr", 0.01);
                group.put("betas", List.of(0.9, 0.999));
                group.put("eps", 1e-8);
                group.put("weight_decay", 0);
                group.put("amsgrad", false);
                group.put("maximize", false);
                group.put("foreach", null);
                group.put("capturable", false);
                group.put("params", List.of(0L));
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("step", Tensors.full(Shape.scalar(), 3.0, DType.FLOAT32, Device.CPU));
                s.put("exp_avg", Tensors.of(new float[] {0.1f, 0.2f}));
                s.put("exp_avg_sq", Tensors.of(new float[] {0.01f, 0.04f}));
                adam.loadStateDict(Map.of("state", Map.of(0L, s), "param_groups", List.of(group)));
                assertEquals(3L, adam.state(p).get("step"));
                assertEquals(DType.FLOAT64, ((Tensor) adam.state(p).get("exp_avg")).dtype());
                assertEquals(0.01, adam.paramGroups().get(0).lr());

                Map<String, Object> sgdGroup = new LinkedHashMap<>(sgd.stateDict().get("param_groups") instanceof List<?> l
                        ? (Map<String, Object>) l.get(0) : Map.of());
                Map<String, Object> none = new LinkedHashMap<>();
                none.put("momentum_buffer", null);
                sgd.loadStateDict(Map.of("state", Map.of(0, none), "param_groups", List.of(sgdGroup)));
                assertTrue(sgd.state(q).isEmpty());
            }
        }
    }

    // ---- mismatches -----------------------------------------------------------------------------

    private interface Edit {
        void apply(Map<String, Object> dict);
    }

    /** Loading the edited dict fails naming {@code expected}, and the optimizer is left as it was. */
    private static void rejects(String expected, Edit edit) {
        try (TensorScope scope = Tensors.scope()) {
            Tensor a = param(new double[] {1, 2}, 2);
            Tensor b = param(new double[] {3, 4, 5}, 3);
            try (Adam adam = new Adam(List.of(a, b), 0.1)) {
                a.setGrad(Tensors.of(new double[] {1, 1}));
                b.setGrad(Tensors.of(new double[] {1, 1, 1}));
                adam.step();
                Map<String, Object> dict = mutableCopy(adam.stateDict());
                edit.apply(dict);
                double[] before = ((Tensor) adam.state(a).get("exp_avg")).toDoubleArray();
                Map<String, Object> optionsBefore = adam.paramGroups().get(0).options();
                Map<String, Object> snapshot = new LinkedHashMap<>(optionsBefore);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(dict));
                assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' should contain '" + expected + "'");
                assertArrayEquals(before, ((Tensor) adam.state(a).get("exp_avg")).toDoubleArray());
                assertEquals(snapshot, adam.paramGroups().get(0).options());
                assertEquals(1L, adam.state(a).get("step"));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mutableCopy(Map<String, Object> dict) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<Object, Object> state = new LinkedHashMap<>();
        ((Map<Object, Object>) dict.get("state")).forEach((k, v) -> state.put(k, new LinkedHashMap<>((Map<String, Object>) v)));
        List<Object> groups = new ArrayList<>();
        ((List<Object>) dict.get("param_groups")).forEach(g -> groups.add(new LinkedHashMap<>((Map<String, Object>) g)));
        out.put("state", state);
        out.put("param_groups", groups);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> group(Map<String, Object> dict, int i) {
        return (Map<String, Object>) ((List<Object>) dict.get("param_groups")).get(i);
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> state(Map<String, Object> dict) {
        return (Map<Object, Object>) dict.get("state");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> state(Map<String, Object> dict, int i) {
        return (Map<String, Object>) state(dict).get(i);
    }

    @Test
    void rejectsAnotherNumberOfGroups() {
        rejects("2 parameter groups, this optimizer has 1",
                d -> ((List<Object>) d.get("param_groups")).add(new LinkedHashMap<>(group(d, 0))));
    }

    @Test
    void rejectsAGroupOfAnotherSize() {
        rejects("has 1 parameters, this optimizer's group 0 has 2", d -> group(d, 0).put("params", List.of(0)));
    }

    @Test
    void rejectsStateOfAnotherShape() {
        rejects("has shape [2], but the parameter has shape [3]",
                d -> state(d, 1).put("exp_avg", Tensors.of(new double[] {1, 2})));
    }

    @Test
    void rejectsAStateDictOfAnotherOptimizer() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1}, 1);
            try (SGD sgd = new SGD(List.of(p), SGD.options().momentum(0.9)); Tensor other = param(new double[] {1}, 1).retain();
                 Adam adam = new Adam(List.of(other), 0.1)) {
                p.setGrad(Tensors.of(new double[] {1}));
                sgd.step();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(sgd.stateDict()));
                assertTrue(e.getMessage().contains("lacks the option 'betas'"), e.getMessage());
            }
        }
    }

    @Test
    void rejectsUnknownStateKeys() {
        rejects("has the key 'momentum_buffer'", d -> state(d, 0).put("momentum_buffer", Tensors.of(new double[] {1, 2})));
    }

    @Test
    void rejectsMissingStateKeys() {
        rejects("lacks [exp_avg_sq]", d -> state(d, 0).remove("exp_avg_sq"));
    }

    /**
     * A buffer that an option switched on later adds (Adam's max_exp_avg_sq, RMSprop's momentum_buffer
     * and grad_avg, for example momentum that OneCycleLR turns on) is made at zero on the next step; a
     * state dict saved in between lacks it, and must still load: both optimizers then take the same steps.
     */
    @Test
    void aStateSavedBeforeAnOptionWasSwitchedOnLoads() {
        switchedOnLater(ps -> new Adam(ps, 0.1), group -> group.set("amsgrad", true));
        switchedOnLater(ps -> new RMSprop(ps, 0.1), group -> {
            group.set("momentum", 0.9);
            group.set("centered", true);
        });
    }

    private static void switchedOnLater(Function<List<Tensor>, Optimizer> make, java.util.function.Consumer<ParamGroup> switchOn) {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1, -2, 0.5}, 3);
            try (Optimizer first = make.apply(List.of(p))) {
                p.setGrad(Tensors.of(GRADS[0]));
                first.step();
                switchOn.accept(first.paramGroups().get(0));
                Tensor q = param(p.toDoubleArray(), 3);
                try (Optimizer second = make.apply(List.of(q))) {
                    try (TensorScope saving = Tensors.scope()) {
                        second.loadStateDict(first.stateDict());
                    }
                    for (int t = 1; t < GRADS.length; t++) {
                        p.setGrad(Tensors.of(GRADS[t]));
                        q.setGrad(Tensors.of(GRADS[t]));
                        first.step();
                        second.step();
                        assertArrayEquals(p.toDoubleArray(), q.toDoubleArray(), 0.0, "step " + (t + 1));
                    }
                }
            }
        }
    }

    @Test
    void rejectsStateOfAnUnknownParameter() {
        rejects("parameter 7", d -> state(d).put(7, state(d, 0)));
    }

    @Test
    void rejectsBadOptionValues() {
        rejects("-1.0", d -> group(d, 0).put("lr", -1.0));
        rejects("index 0: 1.0", d -> group(d, 0).put("betas", List.of(1.0, 0.9)));
        rejects("lacks the option 'eps'", d -> group(d, 0).remove("eps"));
        rejects("must be an integer", d -> group(d, 0).put("params", List.of(0, "one")));
    }

    @Test
    void rejectsBadSteps() {
        rejects("must be >= 0", d -> state(d, 0).put("step", -1L));
        rejects("must be an integer", d -> state(d, 0).put("step", 1.5));
    }

    @Test
    void rejectsAMalformedDict() {
        rejects("[state, param_groups]", d -> d.remove("state"));
        rejects("[state, param_groups]", d -> d.put("extra", 1));
        rejects("must be a Map", d -> d.put("state", List.of()));
        rejects("closed tensor", d -> ((Tensor) state(d, 0).get("exp_avg")).close());
        rejects("appears more than once", d -> group(d, 0).put("params", List.of(0, 0)));
    }

    @Test
    void theStepCountIsALong() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1}, 1);
            try (RMSprop opt = new RMSprop(List.of(p), 0.1)) {
                p.setGrad(Tensors.of(new double[] {1}));
                opt.step();
                Map<String, Object> dict = opt.stateDict();
                assertInstanceOf(Long.class, state(dict, 0).get("step"));
            }
        }
    }
}
