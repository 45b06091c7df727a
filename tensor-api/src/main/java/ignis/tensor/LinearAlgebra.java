package ignis.tensor;

import ignis.tensor.spi.TensorView;

/** Matrix products. */
final class LinearAlgebra {

    private LinearAlgebra() {
    }

    /**
     * {@code torch.matmul}: a vector operand is made a matrix (a row for the left one, a column for
     * the right one) and the added dimension dropped from the result; batch dimensions broadcast.
     */
    static Tensor matmul(Tensor a, Tensor b) {
        a.live();
        b.live();
        Device device = Elementwise.commonDevice("matmul", a, b);
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both operands need at least one dimension, got shapes " + a.shape + " and " + b.shape);
        }
        if (a.dtype != b.dtype) {
            throw new IllegalArgumentException("matmul: expected both operands to have the same dtype, got " + a.dtype + " and " + b.dtype);
        }
        if (a.dtype == DType.BOOL) {
            throw new IllegalArgumentException("matmul is not supported for bool tensors");
        }
        long[] aDims = a.dim() == 1 ? new long[] {1, a.shape.size(0)} : a.shape.dims();
        long[] bDims = b.dim() == 1 ? new long[] {b.shape.size(0), 1} : b.shape.dims();
        long m = aDims[aDims.length - 2];
        long k = aDims[aDims.length - 1];
        long n = bDims[bDims.length - 1];
        if (bDims[bDims.length - 2] != k) {
            throw new IllegalArgumentException("matmul: " + a.shape + " @ " + b.shape + ": inner dimensions " + k
                    + " and " + bDims[bDims.length - 2] + " differ");
        }
        Shape batch = Shape.broadcast(Shape.of(java.util.Arrays.copyOf(aDims, aDims.length - 2)),
                Shape.of(java.util.Arrays.copyOf(bDims, bDims.length - 2)));
        long[] outDims = append(batch.dims(), m, n);
        DType compute = a.dtype.computeType();
        try (Tensor left = matrix(a, true, compute); Tensor right = matrix(b, false, compute)) {
            TensorView va = Elementwise.broadcastView(left, Shape.of(append(batch.dims(), m, k)));
            TensorView vb = Elementwise.broadcastView(right, Shape.of(append(batch.dims(), k, n)));
            Tensor out = k == 0
                    ? Creation.full(Shape.of(outDims), 0, compute, device)
                    : Creation.computed(Shape.of(outDims), compute, device, o -> a.backend().matmul(o, va, vb));
            try (out; Tensor converted = Transfers.cast(out, a.dtype)) {
                return converted.reshape(resultDims(a, b, batch.dims(), m, n));
            }
        }
    }

    /** The operand as a matrix (or batch of them) in the compute dtype. */
    private static Tensor matrix(Tensor t, boolean left, DType compute) {
        try (Tensor converted = Transfers.cast(t, compute)) {
            return t.dim() > 1 ? Views.alias(converted) : converted.unsqueeze(left ? 0 : 1);
        }
    }

    private static long[] resultDims(Tensor a, Tensor b, long[] batch, long m, long n) {
        if (a.dim() == 1 && b.dim() == 1) {
            return new long[0];
        }
        if (a.dim() == 1) {
            return append(batch, n);
        }
        if (b.dim() == 1) {
            return append(batch, m);
        }
        return append(batch, m, n);
    }

    private static long[] append(long[] dims, long... more) {
        long[] out = java.util.Arrays.copyOf(dims, dims.length + more.length);
        System.arraycopy(more, 0, out, dims.length, more.length);
        return out;
    }
}
