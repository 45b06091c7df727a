package ignis.backend.reference;

import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.ElementMath;
import ignis.tensor.spi.TensorView;

/**
 * Elementwise functions of two operands, {@code out[i] = f(a[i], b[i])}, with Python's and PyTorch's
 * semantics: floor division and remainder round toward negative infinity, MAXIMUM and MINIMUM
 * propagate NaN, every comparison with NaN is false except NE. Floats are computed in double and
 * rounded once to the output (for float32 operands the double sum, difference, product and quotient
 * round to exactly the float32 result); integers in long, wrapping on the way out.
 */
final class BinaryKernel {

    private BinaryKernel() {
    }

    static void apply(BinaryOp op, TensorView outView, TensorView aView, TensorView bView) {
        HostTensor out = new HostTensor(outView);
        HostTensor a = new HostTensor(aView);
        HostTensor b = new HostTensor(bView);
        boolean floating = a.isFloatingPoint() || b.isFloatingPoint();
        IndexWalk walk = new IndexWalk(out.shape());
        while (walk.next()) {
            long at = a.offsetOf(walk.index());
            long bt = b.offsetOf(walk.index());
            long to = out.offsetOf(walk.index());
            switch (op.rule()) {
                case ARITHMETIC, FLOATING -> {
                    if (floating) {
                        out.writeDouble(to, ElementMath.binary(op, a.readDouble(at), b.readDouble(bt)));
                    } else {
                        out.writeLong(to, ElementMath.binary(op, a.readLong(at), b.readLong(bt)));
                    }
                }
                case COMPARISON -> out.writeBoolean(to, floating
                        ? ElementMath.compare(op, a.readDouble(at), b.readDouble(bt))
                        : ElementMath.compare(op, a.readLong(at), b.readLong(bt)));
                case LOGICAL -> out.writeBoolean(to, ElementMath.logical(op, a.readBoolean(at), b.readBoolean(bt)));
            }
        }
    }

}
