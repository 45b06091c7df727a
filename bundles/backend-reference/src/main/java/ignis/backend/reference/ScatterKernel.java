package ignis.backend.reference;

import ignis.tensor.spi.ScatterMode;
import ignis.tensor.spi.TensorView;

/**
 * {@code out[i][index[i][j][k]][k] = src[i][j][k]} (SET) or {@code +=} (ADD) for dim 1, and likewise
 * for any dim; index (int64) and src have one shape, visited in row-major order, so with repeated
 * indices the last source wins a SET and an ADD accumulates in that order. SET moves bits and takes
 * any dtype; ADD takes the arithmetic dtypes, and for float32 each addition rounds to float32.
 */
final class ScatterKernel {

    private ScatterKernel() {
    }

    static void scatter(ScatterMode mode, TensorView outView, int dim, TensorView indexView, TensorView srcView) {
        HostTensor out = new HostTensor(outView);
        HostTensor index = new HostTensor(indexView);
        HostTensor src = new HostTensor(srcView);
        long[] target = new long[out.rank()];
        IndexWalk walk = new IndexWalk(index.shape());
        while (walk.next()) {
            long[] position = walk.index();
            System.arraycopy(position, 0, target, 0, target.length);
            target[dim] = index.readLong(index.offsetOf(position));
            long to = out.offsetOf(target);
            long from = src.offsetOf(position);
            switch (mode) {
                case SET -> out.writeBits(to, src.readBits(from));
                case ADD -> {
                    if (out.isFloatingPoint()) {
                        out.writeDouble(to, out.readDouble(to) + src.readDouble(from));
                    } else {
                        out.writeLong(to, out.readLong(to) + src.readLong(from));
                    }
                }
            }
        }
    }
}
