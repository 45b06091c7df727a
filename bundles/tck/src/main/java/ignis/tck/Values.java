package ignis.tck;

import ignis.tensor.DType;

/** The logical elements of a tensor in row-major order, as raw bits of their dtype. */
final class Values {

    final DType dtype;
    final long[] shape;
    final long[] raw;

    Values(DType dtype, long[] shape, long[] raw) {
        this.dtype = dtype;
        this.shape = shape;
        this.raw = raw;
    }

    int size() {
        return raw.length;
    }

    long raw(int i) {
        return raw[i];
    }

    /** The value as a double: floats decoded exactly, integers converted (int64 beyond 2^53 rounds). */
    double real(int i) {
        return Numbers.real(dtype, raw[i]);
    }

    /** The value of an integral or bool element (bool: its byte). */
    long integer(int i) {
        return Numbers.integer(dtype, raw[i]);
    }

    /** Whether the element reads as true: non-zero, NaN included. */
    boolean truth(int i) {
        return Numbers.truth(dtype, raw[i]);
    }

    String show(int i) {
        return Numbers.show(dtype, raw[i]);
    }

    /** The multi-index of row-major element {@code i}. */
    static long[] unravel(long i, long[] shape) {
        long[] index = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = i % shape[d];
            i /= shape[d];
        }
        return index;
    }

    /** The row-major position of a multi-index. */
    static int ravel(long[] index, long[] shape) {
        long at = 0;
        for (int d = 0; d < shape.length; d++) {
            at = at * shape[d] + index[d];
        }
        return (int) at;
    }

    static int numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }
}
