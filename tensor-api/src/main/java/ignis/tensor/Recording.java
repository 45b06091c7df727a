package ignis.tensor;

import ignis.tensor.spi.AutogradEngine;
import ignis.tensor.spi.OpCall;
import ignis.tensor.spi.TensorOp;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the public ops meet autograd: an op whose inputs require gradients, run with grad mode on,
 * computes its result without recording its inner steps and is then recorded as one node by the
 * installed engine. Everything else runs as if autograd did not exist.
 */
final class Recording {

    private Recording() {
    }

    static boolean needed(Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor input : inputs) {
            if (input != null && input.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code forward}; records it as {@code op} over {@code inputs} when gradients are needed. */
    static Tensor apply(TensorOp op, List<Object> args, Supplier<Tensor> forward, Tensor... inputs) {
        try (DeviceGate.Nesting gate = DeviceGate.enter(inputs)) {
            if (!needed(inputs)) {
                return forward.get();
            }
            Tensor out;
            try (GradMode.Scope inner = GradMode.noGrad()) {
                out = forward.get();
            }
            attach(op, args, out, inputs);
            return out;
        }
    }

    /** Records an op whose output was already computed (without recording). */
    static void attach(TensorOp op, List<Object> args, Tensor out, Tensor... inputs) {
        AutogradEngine engine = AutogradRegistry.engine();
        if (engine != null && out.dtype.isFloatingPoint()) {
            out.gradFn(engine.record(new OpCall(op, Arrays.asList(inputs), out, args)));
        }
    }

    /**
     * An in-place op on a tensor that is part of a graph: computed out of place from a recorded copy of
     * the tensor (whose old values the derivative may need), written back, and the tensor's history
     * moved to the new node, as PyTorch rebases it.
     */
    static Tensor inPlace(Tensor self, Function<Tensor, Tensor> outOfPlace, Runnable inPlace, Tensor... others) {
        Tensor[] all = Arrays.copyOf(others, others.length + 1);
        all[others.length] = self;
        try (DeviceGate.Nesting gate = DeviceGate.enter(all)) {
            return inPlaceHeld(self, outOfPlace, inPlace, all);
        }
    }

    private static Tensor inPlaceHeld(Tensor self, Function<Tensor, Tensor> outOfPlace, Runnable inPlace, Tensor[] all) {
        if (!needed(all)) {
            inPlace.run();
            return self;
        }
        if (self.isLeaf() && self.requiresGrad()) {
            throw new IllegalStateException("a leaf tensor that requires grad (shape " + self.shape
                    + ") is used in an in-place operation: use an out-of-place op, or do it in a GradMode.noGrad() block");
        }
        try (Tensor before = self.clone(); Tensor result = outOfPlace.apply(before)) {
            try (GradMode.Scope inner = GradMode.noGrad()) {
                Transfers.copyInto(self, result);
            }
            self.gradFn(result.gradFn());
        }
        return self;
    }
}
