package ignis.tensor;

import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.TensorOp;
import ignis.tensor.spi.UnaryOp;
import java.util.List;
import java.util.function.Supplier;

/** The public ops that need more than {@link Recording#apply} to be recorded: scalar operands, reductions, in-place forms. */
final class Differentiable {

    private Differentiable() {
    }

    static Tensor unary(UnaryOp op, Tensor x) {
        return Recording.apply(TensorOp.UNARY, List.of(op), () -> Elementwise.unary(op, x), x);
    }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        return Recording.apply(TensorOp.BINARY, List.of(op), () -> Elementwise.binary(op, a, b), a, b);
    }

    static Tensor binary(BinaryOp op, Tensor a, double b) {
        return withScalar(op, a, Scalar.of(b), () -> Elementwise.binary(op, a, b));
    }

    static Tensor binary(BinaryOp op, Tensor a, long b) {
        return withScalar(op, a, Scalar.of(b), () -> Elementwise.binary(op, a, b));
    }

    /** A scalar operand is recorded as a rank-0 constant of the result's dtype, for the derivative to read. */
    private static Tensor withScalar(BinaryOp op, Tensor a, Scalar b, Supplier<Tensor> forward) {
        try (DeviceGate.Nesting gate = DeviceGate.enter(new Tensor[] {a})) {
            return withScalarHeld(op, a, b, forward);
        }
    }

    private static Tensor withScalarHeld(BinaryOp op, Tensor a, Scalar b, Supplier<Tensor> forward) {
        if (!Recording.needed(a)) {
            return forward.get();
        }
        Tensor out;
        try (GradMode.Scope inner = GradMode.noGrad()) {
            out = forward.get();
        }
        try (Tensor constant = b.toTensor(out.dtype, out.device())) {
            Recording.attach(TensorOp.BINARY, List.of(op), out, a, constant);
        }
        return out;
    }

    static Tensor unaryInPlace(UnaryOp op, Tensor x) {
        return Recording.inPlace(x, before -> unary(op, before), () -> Elementwise.unaryInPlace(op, x));
    }

    static Tensor binaryInPlace(BinaryOp op, Tensor x, Tensor other) {
        return Recording.inPlace(x, before -> binary(op, before, other), () -> Elementwise.binaryInPlace(op, x, other), other);
    }

    static Tensor binaryInPlace(BinaryOp op, Tensor x, double other) {
        return Recording.inPlace(x, before -> binary(op, before, other), () -> Elementwise.binaryInPlace(op, x, other));
    }

    static Tensor binaryInPlace(BinaryOp op, Tensor x, long other) {
        return Recording.inPlace(x, before -> binary(op, before, other), () -> Elementwise.binaryInPlace(op, x, other));
    }

    /** What {@code copy_} writes, out of place: src broadcast to the target's shape, in its dtype and on its device. */
    static Tensor copyOf(Tensor target, Tensor src) {
        try (Tensor moved = src.to(target.device()); Tensor converted = moved.to(target.dtype())) {
            return converted.expand(target.shape().toArray()).contiguous();
        }
    }

    static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        int[] axes = Reductions.axes(x.live(), dims);
        return Recording.apply(TensorOp.SUM, List.of(axes, keepDim), () -> Reductions.sum(x, axes, keepDim), x);
    }

    static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        int[] axes = Reductions.axes(x.live(), dims);
        return Recording.apply(TensorOp.MEAN, List.of(axes, keepDim), () -> Reductions.mean(x, axes, keepDim), x);
    }

    static Tensor extreme(Tensor x, boolean max, int[] dims, boolean keepDim) {
        int[] axes = Reductions.axes(x.live(), dims);
        return Recording.apply(max ? TensorOp.AMAX : TensorOp.AMIN, List.of(axes, keepDim),
                () -> Reductions.extreme(x, max, axes, keepDim), x);
    }

    static ValuesAndIndices extremeWithIndices(Tensor x, boolean max, int dim, boolean keepDim) {
        try (DeviceGate.Nesting gate = DeviceGate.enter(new Tensor[] {x})) {
            return extremeWithIndicesHeld(x, max, dim, keepDim);
        }
    }

    private static ValuesAndIndices extremeWithIndicesHeld(Tensor x, boolean max, int dim, boolean keepDim) {
        if (!Recording.needed(x)) {
            return Reductions.extremeWithIndices(x, max, dim, keepDim);
        }
        ValuesAndIndices result;
        try (GradMode.Scope inner = GradMode.noGrad()) {
            result = Reductions.extremeWithIndices(x, max, dim, keepDim);
        }
        int d = x.dim() == 0 ? 0 : Shape.normalizeDim(dim, x.dim());
        Recording.attach(TensorOp.EXTREME_WITH_INDICES, List.of(d, keepDim, result.indices()), result.values(), x);
        return result;
    }

    static Tensor var(Tensor x, int[] dims, boolean keepDim, double correction) {
        int[] axes = Reductions.axes(x.live(), dims);
        return Recording.apply(TensorOp.VAR, List.of(axes, keepDim, correction), () -> Reductions.var(x, axes, keepDim, correction), x);
    }

    static Tensor logsumexp(Tensor x, int[] dims, boolean keepDim) {
        int[] axes = Reductions.axes(x.live(), dims);
        return Recording.apply(TensorOp.LOGSUMEXP, List.of(axes, keepDim), () -> Reductions.logsumexp(x, axes, keepDim), x);
    }

    static Tensor softmax(Tensor x, int dim, boolean log) {
        if (!x.live().dtype.isFloatingPoint()) {
            throw new IllegalArgumentException((log ? "logSoftmax" : "softmax") + ": expected a floating-point input (as PyTorch), got "
                    + x.dtype + " " + x.shape + "; convert it with to(DType.FLOAT32) first");
        }
        int d = x.live().dim() == 0 ? 0 : Shape.normalizeDim(dim, x.dim());
        return Recording.apply(log ? TensorOp.LOG_SOFTMAX : TensorOp.SOFTMAX, List.of(d),
                () -> log ? Reductions.logSoftmax(x, d) : Reductions.softmax(x, d), x);
    }

    /** Ops without a derivative yet refuse to run where one would be needed, rather than lose the gradient. */
    static void requireNoGradient(Tensor x, String op) {
        if (Recording.needed(x)) {
            throw new IllegalStateException(op + " has no gradient yet: compute it in a GradMode.noGrad() block or on a detach()ed tensor");
        }
    }

    /** In-place initialisers write values no graph could explain: leaves that require grad must be filled without recording. */
    static void requireNoGraph(Tensor x, String op) {
        if (GradMode.isEnabled() && x.requiresGrad()) {
            throw new IllegalStateException((x.isLeaf() ? "a leaf tensor that requires grad" : "a tensor in the autograd graph")
                    + " (shape " + x.shape + ") is used in the in-place operation " + op + ": do it in a GradMode.noGrad() block");
        }
    }
}
