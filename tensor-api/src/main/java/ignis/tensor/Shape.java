package ignis.tensor;

import java.util.Arrays;

/**
 * The sizes of a tensor's dimensions. Immutable. A rank-0 shape ({@code []}) is a scalar with one
 * element; a size of 0 makes an empty tensor.
 */
public final class Shape {

    private static final Shape SCALAR = new Shape(new long[0]);

    private final long[] dims;
    private final long numel;

    private Shape(long[] dims) {
        this.dims = dims;
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has a negative size");
            }
            n = Math.multiplyExact(n, d);
        }
        this.numel = n;
    }

    public static Shape of(long... dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    public static Shape of(int... dims) {
        return dims.length == 0 ? SCALAR : new Shape(Arrays.stream(dims).asLongStream().toArray());
    }

    public static Shape scalar() {
        return SCALAR;
    }

    /** The number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** The size of dimension {@code dim}; negative dims count from the end, as in PyTorch. */
    public long size(int dim) {
        return dims[indexOf(dim, dims.length)];
    }

    /** Like {@link #normalizeDim}, for looking a dimension up: a scalar has none. */
    static int indexOf(int dim, int rank) {
        if (rank == 0) {
            throw new IndexOutOfBoundsException("dimension specified as " + dim + " but the tensor has no dimensions (it is a scalar)");
        }
        return normalizeDim(dim, rank);
    }

    /** The number of elements: the product of the sizes (1 for a scalar). */
    public long numel() {
        return numel;
    }

    public long[] toArray() {
        return dims.clone();
    }

    /** The dims themselves, for the core that promises not to modify them. */
    long[] dims() {
        return dims;
    }

    /**
     * Turns a possibly negative dim into an index in {@code [0, rank)}.
     *
     * @throws IndexOutOfBoundsException naming the dim and the rank
     */
    public static int normalizeDim(int dim, int rank) {
        int dims = Math.max(rank, 1); // a scalar takes dim 0 and -1, as in PyTorch
        int wrapped = dim < 0 ? dim + dims : dim;
        if (wrapped < 0 || wrapped >= dims) {
            throw new IndexOutOfBoundsException("dimension " + dim + " is out of range for a tensor of rank " + rank
                    + " (expected " + -dims + " to " + (dims - 1) + ")");
        }
        return wrapped;
    }

    /**
     * NumPy's broadcasting: aligned from the last dimension, each pair of sizes must be equal or one
     * of them 1.
     *
     * @throws IllegalArgumentException naming both shapes when they do not broadcast
     */
    public static Shape broadcast(Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        int rank = Math.max(a.rank(), b.rank());
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            long db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shape " + a + " cannot broadcast with " + b
                        + ": sizes " + da + " and " + db + " differ at dimension " + i + " of the result");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape other && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** As PyTorch prints sizes: {@code [2, 3]}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
