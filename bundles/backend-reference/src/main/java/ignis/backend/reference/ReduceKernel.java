package ignis.backend.reference;

import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.TensorView;
import java.util.Arrays;

/**
 * Reductions over axes. The output has the input's rank with size 1 on the reduced axes, so the
 * output element at index {@code o} gathers the input elements at {@code o + r} for every index
 * {@code r} of the reduced block (the input's sizes on the reduced axes, 1 elsewhere). With no axes
 * each block is one element and the reduction is a plain conversion.
 *
 * <ul>
 * <li>SUM and PROD of floats accumulate in double (SUM with {@link CompensatedSum}) and round once;
 *     of integers and bool they accumulate in long, wrapping, into int64.</li>
 * <li>MAX and MIN keep the dtype (bool included) and propagate NaN.</li>
 * <li>ARGMAX and ARGMIN reduce exactly one axis into int64: the first index of the extreme, where the
 *     first NaN counts as the extreme.</li>
 * </ul>
 */
final class ReduceKernel {

    private ReduceKernel() {
    }

    static void reduce(ReduceOp op, TensorView outView, TensorView inView, int[] axes) {
        HostTensor out = new HostTensor(outView);
        HostTensor in = new HostTensor(inView);
        switch (op) {
            case SUM, PROD, MAX, MIN -> fold(op, out, in, axes);
            case ARGMAX, ARGMIN -> {
                if (axes.length != 1) {
                    throw new IllegalArgumentException(op + " reduces exactly one axis, not " + Arrays.toString(axes));
                }
                argExtreme(op == ReduceOp.ARGMAX, out, in, axes[0]);
            }
        }
    }

    private static void fold(ReduceOp op, HostTensor out, HostTensor in, int[] axes) {
        long[] block = new long[in.rank()];
        Arrays.fill(block, 1);
        for (int axis : axes) {
            block[axis] = in.size(axis);
        }
        IndexWalk walk = new IndexWalk(out.shape());
        while (walk.next()) {
            Block elements = new Block(in, walk.index(), block);
            long to = out.offsetOf(walk.index());
            if (in.isFloatingPoint()) {
                out.writeDouble(to, foldFloating(op, in, elements));
            } else {
                out.writeLong(to, foldIntegral(op, in, elements));
            }
        }
    }

    private static double foldFloating(ReduceOp op, HostTensor in, Block elements) {
        switch (op) {
            case SUM -> {
                CompensatedSum sum = new CompensatedSum();
                while (elements.next()) {
                    sum.add(in.readDouble(elements.offset()));
                }
                return sum.value();
            }
            case PROD -> {
                double product = 1;
                while (elements.next()) {
                    product *= in.readDouble(elements.offset());
                }
                return product;
            }
            case MAX -> {
                // Math.max returns NaN once either operand is NaN, and -inf is its identity.
                double max = Double.NEGATIVE_INFINITY;
                while (elements.next()) {
                    max = Math.max(max, in.readDouble(elements.offset()));
                }
                return max;
            }
            case MIN -> {
                double min = Double.POSITIVE_INFINITY;
                while (elements.next()) {
                    min = Math.min(min, in.readDouble(elements.offset()));
                }
                return min;
            }
            default -> throw new IllegalArgumentException(op + " is not a fold");
        }
    }

    /** Integers and bool (read as 0 or 1), in long with wrap-around. */
    private static long foldIntegral(ReduceOp op, HostTensor in, Block elements) {
        long result = switch (op) {
            case SUM -> 0;
            case PROD -> 1;
            case MAX -> Long.MIN_VALUE;
            case MIN -> Long.MAX_VALUE;
            default -> throw new IllegalArgumentException(op + " is not a fold");
        };
        while (elements.next()) {
            long value = in.readLong(elements.offset());
            result = switch (op) {
                case SUM -> result + value;
                case PROD -> result * value;
                case MAX -> Math.max(result, value);
                default -> Math.min(result, value);
            };
        }
        return result;
    }

    private static void argExtreme(boolean max, HostTensor out, HostTensor in, int axis) {
        long length = in.size(axis);
        long stride = in.stride(axis);
        IndexWalk walk = new IndexWalk(out.shape());
        while (walk.next()) {
            // out's index is 0 on the reduced axis: it locates element 0 of the input's line.
            long first = in.offsetOf(walk.index());
            long best = in.isFloatingPoint()
                    ? argExtremeFloating(max, in, first, stride, length)
                    : argExtremeIntegral(max, in, first, stride, length);
            out.writeLong(out.offsetOf(walk.index()), best);
        }
    }

    private static long argExtremeFloating(boolean max, HostTensor in, long first, long stride, long length) {
        long best = 0;
        double bestValue = in.readDouble(first);
        for (long k = 1; k < length && !Double.isNaN(bestValue); k++) {
            double value = in.readDouble(first + k * stride);
            if (Double.isNaN(value) || (max ? value > bestValue : value < bestValue)) {
                best = k;
                bestValue = value;
            }
        }
        return best;
    }

    private static long argExtremeIntegral(boolean max, HostTensor in, long first, long stride, long length) {
        long best = 0;
        long bestValue = in.readLong(first);
        for (long k = 1; k < length; k++) {
            long value = in.readLong(first + k * stride);
            if (max ? value > bestValue : value < bestValue) {
                best = k;
                bestValue = value;
            }
        }
        return best;
    }

    /** The input elements that reduce into one output element, visited in row-major order. */
    private static final class Block {

        private final HostTensor in;
        private final long[] corner;
        private final IndexWalk walk;
        private final long[] index;

        Block(HostTensor in, long[] corner, long[] sizes) {
            this.in = in;
            this.corner = corner.clone();
            this.walk = new IndexWalk(sizes);
            this.index = new long[sizes.length];
        }

        boolean next() {
            return walk.next();
        }

        long offset() {
            long[] within = walk.index();
            for (int d = 0; d < index.length; d++) {
                index[d] = corner[d] + within[d];
            }
            return in.offsetOf(index);
        }
    }
}
