package ignis.backend.cuda;

import ignis.tensor.spi.TensorView;

/**
 * Fewer, longer dims for elementwise kernels: views of one shape are rewritten so that dims of size 1
 * are dropped and neighbouring dims that every view steps through as one (stride[d] == stride[d+1] *
 * size[d+1]) are merged. The elements and their row-major order stay the same, so the kernels
 * compute less index arithmetic, and views of rank above 8 usually fit the kernels' limit.
 */
final class Coalesce {

    private Coalesce() {
    }

    /**
     * {@link #views} for an elementwise map, whose element order does not matter: the dims first put in
     * the order of {@code views[0]}'s strides, outermost first, so that views laid out alike (the
     * transposed result of a transposed operand) merge into dense runs and neighbouring threads touch
     * neighbouring elements. Row-major views keep their order.
     */
    static TensorView[] inMemoryOrder(TensorView... views) {
        long[] first = views[0].strides();
        int rank = first.length;
        boolean rowMajor = true;
        for (int d = 1; d < rank && rowMajor; d++) {
            rowMajor = first[d - 1] >= first[d];
        }
        if (rowMajor) {
            return views(views);
        }
        Integer[] order = new Integer[rank];
        for (int d = 0; d < rank; d++) {
            order[d] = d;
        }
        // Stable: equal strides (dims of size 1 among them) keep their order.
        java.util.Arrays.sort(order, (p, q) -> Long.compare(first[q], first[p]));
        TensorView[] permuted = new TensorView[views.length];
        for (int v = 0; v < views.length; v++) {
            TensorView view = views[v];
            long[] shape = new long[rank];
            long[] strides = new long[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = view.shape()[order[d]];
                strides[d] = view.strides()[order[d]];
            }
            permuted[v] = new TensorView(view.storage(), view.dtype(), view.offset(), shape, strides);
        }
        return views(permuted);
    }

    /** The views, all of {@code views[0]}'s shape, rewritten together. */
    static TensorView[] views(TensorView... views) {
        long[] shape = views[0].shape();
        int rank = shape.length;
        long[] newShape = new long[rank];
        long[][] newStrides = new long[views.length][rank];
        int kept = 0;
        for (int d = 0; d < rank; d++) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = kept > 0;
            for (int v = 0; v < views.length && merge; v++) {
                merge = newStrides[v][kept - 1] == views[v].strides()[d] * shape[d];
            }
            if (merge) {
                newShape[kept - 1] *= shape[d];
                for (int v = 0; v < views.length; v++) {
                    newStrides[v][kept - 1] = views[v].strides()[d];
                }
            } else {
                newShape[kept] = shape[d];
                for (int v = 0; v < views.length; v++) {
                    newStrides[v][kept] = views[v].strides()[d];
                }
                kept++;
            }
        }
        if (kept == rank) {
            return views;
        }
        long[] finalShape = java.util.Arrays.copyOf(newShape, kept);
        TensorView[] result = new TensorView[views.length];
        for (int v = 0; v < views.length; v++) {
            TensorView view = views[v];
            result[v] = new TensorView(view.storage(), view.dtype(), view.offset(), finalShape,
                    java.util.Arrays.copyOf(newStrides[v], kept));
        }
        return result;
    }
}
