package ignis.tensor;

import ignis.tensor.spi.TensorView;

/**
 * The strides of an elementwise op's new result, as PyTorch's TensorIterator chooses them: dense, with
 * the dimensions in the order in which the operands lay theirs out in memory, so that {@code x.t().exp()}
 * is transposed like {@code x.t()} and every operand and the result are walked in memory order. The
 * operands are looked at in turn, the first one deciding where they disagree; a broadcast dimension
 * (stride 0) says nothing. Operands that are all row-major give a row-major (contiguous) result.
 */
final class OutputLayout {

    private OutputLayout() {
    }

    /** The result's strides for {@code dims}, from the operands' kernel views (broadcast to {@code dims}). */
    static long[] of(long[] dims, TensorView... operands) {
        int rank = dims.length;
        // perm[0] is the innermost dimension of the result.
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = rank - 1 - i;
        }
        boolean moved = false;
        for (int i = 1; i < rank; i++) {
            int inner = i;
            for (int outer = i - 1; outer >= 0; outer--) {
                int comparison = compare(perm[outer], perm[inner], dims, operands);
                if (comparison > 0) {
                    int swapped = perm[outer];
                    perm[outer] = perm[inner];
                    perm[inner] = swapped;
                    inner = outer;
                    moved = true;
                } else if (comparison < 0) {
                    break;
                }
            }
        }
        if (!moved) {
            return Views.contiguousStrides(dims);
        }
        long[] strides = new long[rank];
        long stride = 1;
        for (int dim : perm) {
            strides[dim] = stride;
            stride *= Math.max(dims[dim], 1);
        }
        return strides;
    }

    /** Positive when dimension {@code a}, now inside {@code b}, lies outside it in memory: the first operand with an opinion decides. */
    private static int compare(int a, int b, long[] dims, TensorView[] operands) {
        for (TensorView operand : operands) {
            long strideA = operand.strides()[a];
            long strideB = operand.strides()[b];
            if (strideA == 0 || strideB == 0) {
                continue;
            }
            if (strideA != strideB) {
                return strideA < strideB ? -1 : 1;
            }
            // Equal strides (a dimension of size 1 among them): the smaller dimension goes inside.
            if (dims[a] > dims[b]) {
                return 1;
            }
        }
        return 0;
    }
}
