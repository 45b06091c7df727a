package ignis.tck;

import java.util.Arrays;

/**
 * Where a view's elements lie in its storage. Each layout places a logical shape at some offset with
 * some strides; the storage holds the span of the view and a few spare elements around it, so that
 * a kernel that writes outside its view, or reads from the wrong place, is caught.
 */
enum Layout {
    /** Row-major from offset 0. */
    CONTIGUOUS("contiguous", false),
    /** Row-major from a non-zero offset, with spare elements after it. */
    OFFSET("offset", false),
    /** Column-major (every dim reversed), as a transpose of a contiguous tensor. */
    TRANSPOSED("transposed", false),
    /** Row-major with the last two dims swapped, as a matrix transpose. */
    TRANSPOSED_LAST2("transposed-last-2", false),
    /** Every dim sliced with step 2 (and padded rows), from a non-zero offset. */
    STEPPED("stepped", false),
    /** Dim 0 broadcast (stride 0); the rest row-major. Inputs only. */
    BROADCAST_LEADING("broadcast-leading", true),
    /** The last dim broadcast (stride 0); the rest row-major. Inputs only. */
    BROADCAST_TRAILING("broadcast-trailing", true),
    /** Every dim broadcast: one element repeated, as an expanded scalar. Inputs only. */
    BROADCAST_ALL("broadcast-all", true);

    private final String label;
    private final boolean broadcast;

    Layout(String label, boolean broadcast) {
        this.label = label;
        this.broadcast = broadcast;
    }

    /** Whether the layout repeats elements (stride 0), so that it may only be an input. */
    boolean broadcast() {
        return broadcast;
    }

    @Override
    public String toString() {
        return label;
    }

    /** A placement: offset, strides and the number of storage elements to allocate. */
    record Placement(long offset, long[] strides, long span) {
    }

    Placement place(long[] shape) {
        int rank = shape.length;
        long[] strides = new long[rank];
        long offset;
        switch (this) {
            case CONTIGUOUS -> {
                rowMajor(shape, strides);
                offset = 0;
            }
            case OFFSET -> {
                rowMajor(shape, strides);
                offset = 3;
            }
            case TRANSPOSED -> {
                long s = 1;
                for (int d = 0; d < rank; d++) {
                    strides[d] = s;
                    s *= shape[d];
                }
                offset = 1;
            }
            case TRANSPOSED_LAST2 -> {
                if (rank >= 2) {
                    long[] swapped = shape.clone();
                    swapped[rank - 1] = shape[rank - 2];
                    swapped[rank - 2] = shape[rank - 1];
                    rowMajor(swapped, strides);
                    long t = strides[rank - 1];
                    strides[rank - 1] = strides[rank - 2];
                    strides[rank - 2] = t;
                } else {
                    rowMajor(shape, strides);
                }
                offset = 2;
            }
            case STEPPED -> {
                long s = 2;
                for (int d = rank - 1; d >= 0; d--) {
                    strides[d] = s;
                    s = s * shape[d] + 1;
                }
                offset = 5;
            }
            case BROADCAST_LEADING, BROADCAST_TRAILING, BROADCAST_ALL -> {
                long s = 1;
                for (int d = rank - 1; d >= 0; d--) {
                    boolean zero = this == BROADCAST_ALL
                            || this == BROADCAST_LEADING && d == 0
                            || this == BROADCAST_TRAILING && d == rank - 1;
                    if (zero) {
                        strides[d] = 0;
                    } else {
                        strides[d] = s;
                        s *= shape[d];
                    }
                }
                offset = this == BROADCAST_ALL ? 4 : 1;
            }
            default -> throw new AssertionError(this);
        }
        long last = offset;
        for (int d = 0; d < rank; d++) {
            last += (shape[d] - 1) * strides[d];
        }
        long spare = this == CONTIGUOUS ? 0 : 3;
        return new Placement(offset, strides, last + 1 + spare);
    }

    private static void rowMajor(long[] shape, long[] strides) {
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= shape[d];
        }
    }

    static String shapeText(long[] shape) {
        return Arrays.toString(shape);
    }
}
