package ignis.backend.reference;

import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.TernaryOp;

/** Elementwise functions of three operands, {@code out[i] = f(a[i], b[i], c[i])}. */
final class TernaryKernel {

    private TernaryKernel() {
    }

    static void apply(TernaryOp op, TensorView outView, TensorView aView, TensorView bView, TensorView cView) {
        HostTensor out = new HostTensor(outView);
        HostTensor a = new HostTensor(aView);
        HostTensor b = new HostTensor(bView);
        HostTensor c = new HostTensor(cView);
        IndexWalk walk = new IndexWalk(out.shape());
        while (walk.next()) {
            long at = a.offsetOf(walk.index());
            long bt = b.offsetOf(walk.index());
            long ct = c.offsetOf(walk.index());
            long to = out.offsetOf(walk.index());
            switch (op) {
                // b, c and out share one dtype, so the chosen element moves bit for bit.
                case WHERE -> out.writeBits(to, a.readBoolean(at) ? b.readBits(bt) : c.readBits(ct));
                case CLAMP -> {
                    if (a.isFloatingPoint()) {
                        // Math.max and Math.min propagate NaN from any of the three.
                        out.writeDouble(to, Math.min(Math.max(a.readDouble(at), b.readDouble(bt)), c.readDouble(ct)));
                    } else {
                        out.writeLong(to, Math.min(Math.max(a.readLong(at), b.readLong(bt)), c.readLong(ct)));
                    }
                }
            }
        }
    }
}
