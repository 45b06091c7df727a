package ignis.backend.reference;

import ignis.tensor.spi.TensorView;

/** Sets every element of a view to one raw bit pattern, whatever the dtype. */
final class FillKernel {

    private FillKernel() {
    }

    /** Writes the low {@code out.dtype().byteSize()} bytes of {@code bits} into every element. */
    static void fill(TensorView outView, long bits) {
        HostTensor out = new HostTensor(outView);
        IndexWalk walk = new IndexWalk(out.shape());
        while (walk.next()) {
            out.writeBits(out.offsetOf(walk.index()), bits);
        }
    }
}
