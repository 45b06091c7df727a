package ignis.tensor;

import ignis.tensor.spi.LogSumExpKernels;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.SoftmaxKernels;
import ignis.tensor.spi.TensorView;
import java.util.Arrays;
import java.util.function.Function;

/** Reductions over dimensions, and the functions composed from them (mean, var, logsumexp, softmax). */
final class Reductions {

    private Reductions() {
    }

    static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        DType result = x.live().dtype.isFloatingPoint() ? x.dtype : DType.INT64;
        return reduce(ReduceOp.SUM, x, dims, keepDim, result);
    }

    static Tensor prod(Tensor x, int[] dims, boolean keepDim) {
        DType result = x.live().dtype.isFloatingPoint() ? x.dtype : DType.INT64;
        return reduce(ReduceOp.PROD, x, dims, keepDim, result);
    }

    static Tensor extreme(Tensor x, boolean max, int[] dims, boolean keepDim) {
        return reduce(max ? ReduceOp.MAX : ReduceOp.MIN, x.live(), dims, keepDim, x.dtype);
    }

    static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        requireFloat(x.live(), "mean()");
        int[] axes = axes(x, dims);
        return inComputeType(x, input -> {
            try (Tensor total = sum(input, axes, keepDim)) {
                return total.div(count(input, axes));
            }
        });
    }

    static Tensor var(Tensor x, int[] dims, boolean keepDim, double correction) {
        requireFloat(x.live(), "var()");
        int[] axes = axes(x, dims);
        return inComputeType(x, input -> {
            try (Tensor mean = mean(input, axes, true);
                 Tensor deviation = input.sub(mean);
                 Tensor squared = deviation.mul(deviation);
                 Tensor total = sum(squared, axes, keepDim)) {
                return total.div(Math.max(0, count(input, axes) - correction));
            }
        });
    }

    /**
     * f computed in float32 for float16 and bfloat16 input (which would overflow or lose digits in
     * their own precision, as PyTorch's accumulation in float shows), the result converted back.
     */
    private static Tensor inComputeType(Tensor x, Function<Tensor, Tensor> f) {
        if (x.dtype.isComputeType()) {
            return f.apply(x);
        }
        try (Tensor wide = Transfers.cast(x, x.dtype.computeType())) {
            return Transfers.castConsuming(f.apply(wide), x.dtype);
        }
    }

    static Tensor std(Tensor x, int[] dims, boolean keepDim, double correction) {
        try (Tensor variance = var(x, dims, keepDim, correction)) {
            return variance.sqrt();
        }
    }

    /** log(sum(exp(x))) shifted by the maximum, which is taken as 0 where it is infinite, as PyTorch does. */
    static Tensor logsumexp(Tensor x, int[] dims, boolean keepDim) {
        try (Tensor floating = floating(x.live())) {
            return inComputeType(floating, input -> logsumexpOf(input, dims, keepDim));
        }
    }

    private static Tensor logsumexpOf(Tensor input, int[] dims, boolean keepDim) {
        int[] axes = axes(input, dims);
        try (Tensor result = keptLogsumexp(input, axes)) {
            return keepDim ? Views.alias(result) : squeezeAxes(result, axes);
        }
    }

    /** logsumexp over axes, kept: the backend's kernel where it has one and there is one axis, composed otherwise. */
    private static Tensor keptLogsumexp(Tensor input, int[] axes) {
        LogSumExpKernels kernels = input.backend().optional(LogSumExpKernels.class);
        if (kernels != null && axes.length == 1 && input.dtype.isComputeType() && input.numel() > 0) {
            long[] dims = input.shape.toArray();
            dims[axes[0]] = 1;
            TensorView in = input.kernelView();
            return Creation.computed(Shape.of(dims), input.dtype, input.device(), out -> kernels.logSumExp(out, in, axes[0]));
        }
        try (Tensor shift = finiteMax(input, axes);
             Tensor shifted = input.sub(shift);
             Tensor log = logSumExp(shifted, axes)) {
            return log.add(shift);
        }
    }

    /** The maximum over axes (kept), taken as 0 where it is infinite so that x - max stays finite, as PyTorch does. */
    private static Tensor finiteMax(Tensor input, int[] axes) {
        try (Tensor max = reduce(ReduceOp.MAX, input, axes, true, input.dtype);
             Tensor magnitude = max.abs();
             Tensor infinite = magnitude.eq(Double.POSITIVE_INFINITY)) {
            return max.maskedFill(infinite, 0);
        }
    }

    /** log(sum(exp(x))) over axes, kept, without a shift. */
    private static Tensor logSumExp(Tensor x, int[] axes) {
        try (Tensor exp = x.exp(); Tensor total = sum(exp, axes, true)) {
            return total.log();
        }
    }

    static Tensor softmax(Tensor x, int dim) {
        return inComputeType(x.live(), input -> softmaxOf(input, dim));
    }

    private static Tensor softmaxOf(Tensor input, int dim) {
        Tensor accelerated = withSoftmaxKernels(input, dim, false);
        if (accelerated != null) {
            return accelerated;
        }
        int[] axes = axes(input, new int[] {dim});
        try (Tensor max = reduce(ReduceOp.MAX, input, axes, true, input.dtype);
             Tensor shifted = input.sub(max);
             Tensor exp = shifted.exp();
             Tensor total = sum(exp, axes, true)) {
            return exp.div(total);
        }
    }

    static Tensor logSoftmax(Tensor x, int dim) {
        return inComputeType(x.live(), input -> logSoftmaxOf(input, dim));
    }

    /**
     * x - max - log(sum(exp(x - max))), in this order as PyTorch computes it: subtracting a rounded
     * logsumexp from x would lose the low digits of large inputs.
     */
    private static Tensor logSoftmaxOf(Tensor input, int dim) {
        Tensor accelerated = withSoftmaxKernels(input, dim, true);
        if (accelerated != null) {
            return accelerated;
        }
        int[] axes = axes(input, new int[] {dim});
        try (Tensor shift = finiteMax(input, axes);
             Tensor shifted = input.sub(shift);
             Tensor log = logSumExp(shifted, axes)) {
            return shifted.sub(log);
        }
    }

    /** The backend's own softmax kernel, if it has one, on float32 and float64 inputs; null otherwise. */
    private static Tensor withSoftmaxKernels(Tensor input, int dim, boolean log) {
        SoftmaxKernels kernels = input.backend().optional(SoftmaxKernels.class);
        if (kernels == null || !input.dtype.isComputeType() || input.numel() == 0 || input.dim() == 0) {
            return null;
        }
        int d = Shape.normalizeDim(dim, input.dim());
        TensorView in = input.kernelView();
        return Creation.computed(input.shape, input.dtype, input.device(),
                out -> {
                    if (log) {
                        kernels.logSoftmax(out, in, d);
                    } else {
                        kernels.softmax(out, in, d);
                    }
                });
    }

    static ValuesAndIndices extremeWithIndices(Tensor x, boolean max, int dim, boolean keepDim) {
        int[] axes = axes(x.live(), new int[] {dim});
        if (axes.length == 0) { // a scalar is its own extreme, at index 0
            return new ValuesAndIndices(Views.alias(x), Creation.fullExact(x.shape, 0, DType.INT64, x.device()));
        }
        try (Tensor indices = reduce(max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, x, axes, true, DType.INT64);
             Tensor values = Indexing.gatherChecked(x, axes[0], indices)) {
            return keepDim
                    ? new ValuesAndIndices(Views.alias(values), Views.alias(indices))
                    : new ValuesAndIndices(squeezeAxes(values, axes), squeezeAxes(indices, axes));
        }
    }

    static Tensor argExtreme(Tensor x, boolean max, Integer dim, boolean keepDim) {
        x.live();
        if (dim == null) {
            try (Tensor flat = x.reshape(-1); Tensor index = argReduce(flat, max, new int[] {0}, false)) {
                long[] ones = new long[x.dim()];
                Arrays.fill(ones, 1);
                return keepDim ? index.reshape(ones) : Views.alias(index);
            }
        }
        return argReduce(x, max, axes(x, new int[] {dim}), keepDim);
    }

    private static Tensor argReduce(Tensor x, boolean max, int[] axes, boolean keepDim) {
        if (axes.length == 0) { // a scalar: its only element is the extreme
            return Creation.fullExact(x.shape, 0, DType.INT64, x.device());
        }
        return reduce(max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, x, axes, keepDim, DType.INT64);
    }

    /**
     * Runs a reduction kernel: converts 16-bit floats to float32 for it, handles empty inputs
     * (neutral elements, or an error where there is none), and drops the reduced axes unless kept.
     */
    private static Tensor reduce(ReduceOp op, Tensor x, int[] dims, boolean keepDim, DType result) {
        x.live();
        int[] axes = axes(x, dims);
        Shape kept = Shape.of(keptDims(x.shape.dims(), axes));
        DType kernelOut = result.computeType();
        Tensor raw;
        if (x.numel() == 0) {
            raw = emptyReduction(op, x, axes, kept, kernelOut);
        } else {
            try (Tensor input = Transfers.cast(x, x.dtype.computeType())) {
                raw = Creation.computed(kept, kernelOut, x.device(), o -> x.backend().reduce(op, o, input.kernelView(), axes));
            }
        }
        Tensor out = Transfers.castConsuming(raw, result);
        if (keepDim) {
            return out;
        }
        try (out) {
            return squeezeAxes(out, axes);
        }
    }

    private static Tensor emptyReduction(ReduceOp op, Tensor x, int[] axes, Shape kept, DType dtype) {
        return switch (op) {
            case SUM -> Creation.full(kept, 0, dtype, x.device());
            case PROD -> Creation.full(kept, 1, dtype, x.device());
            default -> {
                for (int axis : axes) {
                    if (x.shape.size(axis) == 0) {
                        throw new IllegalArgumentException(op.name().toLowerCase() + "(): cannot reduce dimension " + axis
                                + " of size 0 (shape " + x.shape + "): it has no elements");
                    }
                }
                yield Creation.empty(kept, dtype, x.device());
            }
        };
    }

    /** Normalized, sorted, distinct axes; all of them when dims is null. */
    static int[] axes(Tensor x, int[] dims) {
        int rank = x.dim();
        if (dims == null) {
            int[] all = new int[rank];
            Arrays.setAll(all, i -> i);
            return all;
        }
        boolean[] seen = new boolean[Math.max(rank, 1)];
        for (int dim : dims) {
            int d = Shape.normalizeDim(dim, rank);
            if (seen[d]) {
                throw new IllegalArgumentException("dim " + d + " appears more than once in the dims " + Arrays.toString(dims));
            }
            seen[d] = true;
        }
        int[] axes = new int[dims.length];
        int count = 0;
        for (int d = 0; d < rank; d++) {
            if (seen[d]) {
                axes[count++] = d;
            }
        }
        return Arrays.copyOf(axes, count);
    }

    private static long[] keptDims(long[] dims, int[] axes) {
        long[] kept = dims.clone();
        for (int axis : axes) {
            kept[axis] = 1;
        }
        return kept;
    }

    static long count(Tensor x, int[] axes) {
        long n = 1;
        for (int axis : axes) {
            n *= x.shape.size(axis);
        }
        return n;
    }

    private static Tensor squeezeAxes(Tensor t, int[] axes) {
        long[] dims = t.shape.dims();
        long[] strides = t.strides;
        int keptCount = dims.length - axes.length;
        long[] newDims = new long[keptCount];
        long[] newStrides = new long[keptCount];
        for (int d = 0, j = 0, a = 0; d < dims.length; d++) {
            if (a < axes.length && axes[a] == d) {
                a++;
            } else {
                newDims[j] = dims[d];
                newStrides[j++] = strides[d];
            }
        }
        return Views.make(t, newDims, newStrides, t.offset);
    }

    private static void requireFloat(Tensor x, String op) {
        if (!x.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": input dtype must be floating point, got " + x.dtype
                    + " (convert it with to(DType.FLOAT32))");
        }
    }

    /** x as a floating-point tensor: a new handle, converted to float32 when it is integral or bool. */
    private static Tensor floating(Tensor x) {
        return Transfers.cast(x, x.dtype.isFloatingPoint() ? x.dtype : DType.FLOAT32);
    }
}
