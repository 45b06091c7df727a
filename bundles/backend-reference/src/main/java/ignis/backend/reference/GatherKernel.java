package ignis.backend.reference;

import ignis.tensor.spi.TensorView;

/**
 * {@code out[i][j][k] = in[i][index[i][j][k]][k]} for dim 1, and likewise for any dim: out and the
 * int64 index have one shape, and the element moves bit for bit, so any dtype works.
 */
final class GatherKernel {

    private GatherKernel() {
    }

    static void gather(TensorView outView, TensorView inView, int dim, TensorView indexView) {
        HostTensor out = new HostTensor(outView);
        HostTensor in = new HostTensor(inView);
        HostTensor index = new HostTensor(indexView);
        long[] source = new long[in.rank()];
        IndexWalk walk = new IndexWalk(out.shape());
        while (walk.next()) {
            long[] position = walk.index();
            System.arraycopy(position, 0, source, 0, source.length);
            source[dim] = index.readLong(index.offsetOf(position));
            out.writeBits(out.offsetOf(position), in.readBits(in.offsetOf(source)));
        }
    }
}
