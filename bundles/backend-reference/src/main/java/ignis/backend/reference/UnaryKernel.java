package ignis.backend.reference;

import ignis.tensor.spi.ElementMath;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.UnaryOp;

/**
 * Elementwise functions of one operand, {@code out[i] = f(in[i])}. Floats are computed in double
 * precision (exactly, for float32 input) and rounded once to the output: for float32 that is the
 * correctly rounded result wherever the double function is accurate to well under an ulp, which
 * {@link StrictMath} and {@link Erf} are. Integers are computed in long and wrap on the way out.
 */
final class UnaryKernel {


    private UnaryKernel() {
    }

    static void apply(UnaryOp op, TensorView outView, TensorView inView) {
        HostTensor out = new HostTensor(outView);
        HostTensor in = new HostTensor(inView);
        IndexWalk walk = new IndexWalk(out.shape());
        while (walk.next()) {
            long from = in.offsetOf(walk.index());
            long to = out.offsetOf(walk.index());
            switch (op) {
                case LOGICAL_NOT -> out.writeBoolean(to, !in.readBoolean(from));
                case ISNAN -> out.writeBoolean(to, in.isFloatingPoint() && Double.isNaN(in.readDouble(from)));
                default -> {
                    if (in.isFloatingPoint()) {
                        out.writeDouble(to, ElementMath.unary(op, in.readDouble(from)));
                    } else {
                        out.writeLong(to, ElementMath.unary(op, in.readLong(from)));
                    }
                }
            }
        }
    }

}
