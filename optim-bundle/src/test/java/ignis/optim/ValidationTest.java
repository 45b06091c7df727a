package ignis.optim;

import static ignis.optim.OptimTesting.param;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments fail at once with IllegalArgumentException, and the message names the value. */
@ExtendWith(NoLeakedTensors.class)
@SuppressWarnings("try") // scopes are opened for their effect
class ValidationTest {

    private static void failsNaming(String expected, Executable executable) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' should contain '" + expected + "'");
    }

    @Test
    void negativeLearningRates() {
        failsNaming("-0.1", () -> SGD.options().lr(-0.1));
        failsNaming("learning rate", () -> Adam.options().lr(-1e-3));
        failsNaming("-2.0", () -> AdamW.options().lr(-2));
        failsNaming("-0.5", () -> RMSprop.options().lr(-0.5));
        failsNaming("-1.0", () -> Adagrad.options().lr(-1));
        failsNaming("NaN", () -> Adam.options().lr(Double.NaN));
    }

    @Test
    void betasOutsideTheUnitInterval() {
        failsNaming("index 0: 1.0", () -> Adam.options().betas(1.0, 0.999));
        failsNaming("index 1: -0.1", () -> Adam.options().betas(0.9, -0.1));
        failsNaming("index 1: 1.5", () -> AdamW.options().betas(0.9, 1.5));
    }

    @Test
    void otherHyperParameters() {
        failsNaming("momentum value (momentum): -0.9", () -> SGD.options().momentum(-0.9));
        failsNaming("weight_decay value (weight_decay): -0.01", () -> Adam.options().weightDecay(-0.01));
        failsNaming("-1.0E-8", () -> Adam.options().eps(-1e-8));
        failsNaming("alpha", () -> RMSprop.options().alpha(-0.99));
        failsNaming("lr_decay", () -> Adagrad.options().lrDecay(-1));
        failsNaming("initial_accumulator_value", () -> Adagrad.options().initialAccumulatorValue(-1));
    }

    @Test
    void nesterovNeedsMomentumAndNoDampening() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1}, 1);
            failsNaming("Nesterov", () -> new SGD(List.of(p), SGD.options().nesterov(true)));
            failsNaming("dampening 0.5", () -> new SGD(List.of(p), SGD.options().nesterov(true).momentum(0.9).dampening(0.5)));
        }
    }

    @Test
    void parametersThatDoNotRequireGrad() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor frozen = Tensors.of(new double[] {1, 2});
            failsNaming("does not require grad", () -> new Adam(List.of(frozen), 1e-3));
            failsNaming("shape [2]", () -> new Adam(List.of(frozen), 1e-3));
        }
    }

    @Test
    void nonLeafParameters() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor leaf = param(new double[] {1, 2}, 2);
            Tensor derived = leaf.mul(2.0);
            failsNaming("not a leaf", () -> new SGD(List.of(derived), 0.1));
            derived.sum().backward(); // frees the graph (and the tensors it saved); then the leaf's gradient
            leaf.grad().close();
        }
    }

    @Test
    void integerParameters() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor ints = Tensors.of(new long[] {1, 2});
            failsNaming("not floating-point", () -> new SGD(List.of(ints), 0.1));
        }
    }

    @Test
    void duplicateParameters() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1}, 1);
            Tensor q = param(new double[] {1}, 1);
            failsNaming("more than one parameter group", () -> new SGD(List.of(ParamGroup.of(List.of(p, q)), ParamGroup.of(List.of(q))),
                    SGD.options()));
            failsNaming("appears twice", () -> new SGD(List.of(p, p), 0.1));
            try (SGD sgd = new SGD(List.of(p), 0.1)) {
                failsNaming("more than one parameter group", () -> sgd.addParamGroup(ParamGroup.of(List.of(p))));
                try (Tensor handle = p.retain()) {
                    failsNaming("more than one parameter group", () -> sgd.addParamGroup(ParamGroup.of(List.of(handle))));
                }
                assertEquals(1, sgd.paramGroups().size(), "a rejected group is not added");
            }
        }
    }

    @Test
    void emptyParameterList() {
        failsNaming("empty parameter list", () -> new Adam(List.of(), 1e-3));
    }

    @Test
    void optionsOfAnotherOptimizer() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1}, 1);
            Tensor q = param(new double[] {1}, 1);
            try (Adam adam = new Adam(List.of(p), 1e-3)) {
                failsNaming("SGD options", () -> adam.addParamGroup(ParamGroup.of(List.of(q), SGD.options().lr(0.1))));
            }
        }
    }

    @Test
    void settingAGroupOptionIsChecked() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1}, 1);
            try (Adam adam = new Adam(List.of(p), 1e-3); SGD sgd = new SGD(List.of(param(new double[] {1}, 1)),
                    SGD.options().momentum(0.9).nesterov(true))) {
                ParamGroup group = adam.paramGroups().get(0);
                failsNaming("-1.0", () -> group.setLr(-1));
                failsNaming("index 0: 1.0", () -> group.set("betas", List.of(1.0, 0.5)));
                failsNaming("boolean", () -> group.set("amsgrad", 1));
                assertEquals(1e-3, group.lr(), "a rejected value is not set");
                group.set("betas", new double[] {0.5, 0.6});
                assertEquals(List.of(0.5, 0.6), group.get("betas"));
                failsNaming("Nesterov", () -> sgd.paramGroups().get(0).set("momentum", 0.0));
            }
        }
    }

    @Test
    void aClosedOptimizerCannotStep() {
        try (TensorScope scope = Tensors.scope()) {
            SGD sgd = new SGD(List.of(param(new double[] {1}, 1)), 0.1);
            sgd.close();
            sgd.close();
            assertThrows(IllegalStateException.class, sgd::step);
            assertThrows(IllegalStateException.class, sgd::stateDict);
        }
    }

    @Test
    void aGradientOfTheWrongShapeIsRefusedWhenSet() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1, 2}, 2);
            try (SGD sgd = new SGD(List.of(p), 0.1)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.setGrad(Tensors.of(new double[] {1, 2, 3})));
                assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
                sgd.step();
                assertArrayEquals(new double[] {1, 2}, p.toDoubleArray(), "no gradient, no step");
            }
        }
    }

    /** A bad gradient of the second parameter fails the step before the first one moves or gets state. */
    private static void failsBeforeAnyUpdate(String expected, java.util.function.Consumer<Tensor> spoil) {
        try (TensorScope scope = Tensors.scope()) {
            Tensor a = param(new double[] {1, 2}, 2);
            Tensor b = param(new double[] {3, 4}, 2);
            try (Adam adam = new Adam(List.of(a, b), 0.1)) {
                a.setGrad(Tensors.of(new double[] {1, 1}));
                b.setGrad(Tensors.of(new double[] {1, 1}));
                spoil.accept(b);
                IllegalStateException e = assertThrows(IllegalStateException.class, adam::step);
                assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' should contain '" + expected + "'");
                assertArrayEquals(new double[] {1, 2}, a.toDoubleArray(), "the first parameter did not move");
                assertEquals(Map.of(), adam.state(a), "nor got state");
            }
        }
    }

    @Test
    void aBadGradientFailsTheStepBeforeAnyUpdate() {
        failsBeforeAnyUpdate("parameter 1 of param group 0 (shape [2]) has a closed gradient", b -> b.grad().close());
        failsBeforeAnyUpdate("parameter 1 of param group 0 was closed", Tensor::close);
    }

    @Test
    void aRejectedGroupLeavesTheOtherGroupsFree() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1, 2}, 2);
            Tensor frozen = Tensors.of(new double[] {3, 4});
            ParamGroup good = ParamGroup.of(List.of(p));
            long live = Tensors.liveTensors();
            // Adagrad makes state when a group is added: none of it may be left behind by the failed constructor.
            failsNaming("does not require grad", () -> new Adagrad(List.of(good, ParamGroup.of(List.of(frozen))), Adagrad.options()));
            assertEquals(live, Tensors.liveTensors(), "no state tensor is left open");
            try (Adagrad adagrad = new Adagrad(List.of(good), Adagrad.options().lr(0.5))) {
                assertEquals(0.5, adagrad.paramGroups().get(0).lr(), "the group was free to join another optimizer");
            }
        }
    }

    @Test
    void paramsIsNotAnOption() {
        try (TensorScope scope = Tensors.scope()) {
            try (SGD sgd = new SGD(List.of(param(new double[] {1}, 1)), 0.1)) {
                failsNaming("'params' is not an option", () -> sgd.paramGroups().get(0).set("params", List.of(5)));
            }
        }
    }
}
