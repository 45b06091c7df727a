package ignis.backend.reference;

import ignis.tensor.spi.TensorView;

/**
 * {@code dst = src} element by element, converting as PyTorch's {@code tensor.to(dtype)} does (the
 * conversions are spelled out in {@link HostTensor}). This is the only kernel that sees float16 and
 * bfloat16.
 */
final class CopyKernel {

    private CopyKernel() {
    }

    static void copy(TensorView dstView, TensorView srcView) {
        HostTensor dst = new HostTensor(dstView);
        HostTensor src = new HostTensor(srcView);
        boolean sameType = dst.dtype() == src.dtype();
        IndexWalk walk = new IndexWalk(dst.shape());
        while (walk.next()) {
            long to = dst.offsetOf(walk.index());
            long from = src.offsetOf(walk.index());
            if (sameType) {
                // Bit for bit, so that NaN payloads and signaling NaNs survive a plain copy.
                dst.writeBits(to, src.readBits(from));
            } else if (src.isFloatingPoint()) {
                dst.writeDouble(to, src.readDouble(from));
            } else {
                // Integers and bool go through long, which holds every int64 exactly.
                dst.writeLong(to, src.readLong(from));
            }
        }
    }
}
