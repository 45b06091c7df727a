package ignis.backend.simd;

import ignis.tensor.DType;
import ignis.tensor.spi.ScatterMode;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.MemorySegment;

/**
 * gather and scatter along one dim, scalar. The index view (int64) has the shape that is walked: for
 * gather it is out's, for scatter src's. The element's offset in the data tensor is its own position
 * on every other dim and the index on {@code dim}. Indices are in range (the core checks them). A gather
 * whose runs are dense and share one index (indexSelect of rows) copies each run as a block. A large
 * gather is split among the compute pool's threads ({@link Parallel}); scatter stays on the caller's
 * thread, as its repeated indices must be applied in row-major order.
 *
 * <p>gather and scatter SET move bits, so any dtype works; with repeated indices the last source in
 * row-major order wins a SET. scatter ADD accumulates in that order, each addition rounded to the
 * dtype (floats computed in double, integers in long and wrapped).
 */
final class IndexKernels {

    private IndexKernels() {
    }

    static void gather(TensorView out, TensorView in, int dim, TensorView index) {
        MemorySegment o = Elements.segment(out);
        MemorySegment x = Elements.segment(in);
        MemorySegment idx = Elements.segment(index);
        // Walk out and index together; in's stride on dim is applied per element, 0 in the walk.
        long[] inStrides = in.strides().clone();
        long along = inStrides[dim];
        inStrides[dim] = 0;
        InnerRuns runs = InnerRuns.over(out.shape(), new long[] {out.offset(), index.offset(), in.offset()},
                out.strides(), index.strides(), inStrides);
        long os = runs.stride(0);
        long is = runs.stride(1);
        long xs = runs.stride(2);
        DType type = out.dtype();
        DType indexType = index.dtype();
        // One index per run and dense runs, as indexSelect of rows: each run is one block copy.
        boolean blocks = is == 0 && os == 1 && xs == 1 && in.dtype() == type;
        long bytes = type.byteSize();
        Parallel.spans(runs, blocks ? Parallel.GATHER_GRAIN : Parallel.COSTLY_GRAIN, r -> {
            while (r.nextSpan()) {
                long oo = r.spanOffset(0);
                long io = r.spanOffset(1);
                long xo = r.spanOffset(2);
                long n = r.spanLength();
                if (blocks) {
                    long k = Elements.readLong(idx, indexType, io);
                    MemorySegment.copy(x, (xo + k * along) * bytes, o, oo * bytes, n * bytes);
                    continue;
                }
                for (long j = 0; j < n; j++) {
                    long k = Elements.readLong(idx, indexType, io + j * is);
                    Elements.writeBits(o, type, oo + j * os, Elements.readBits(x, in.dtype(), xo + j * xs + k * along));
                }
            }
        });
    }

    static void scatter(ScatterMode mode, TensorView out, int dim, TensorView index, TensorView src) {
        MemorySegment o = Elements.segment(out);
        MemorySegment idx = Elements.segment(index);
        MemorySegment s = Elements.segment(src);
        long[] outStrides = out.strides().clone();
        long along = outStrides[dim];
        outStrides[dim] = 0;
        InnerRuns runs = InnerRuns.over(index.shape(), new long[] {out.offset(), index.offset(), src.offset()},
                outStrides, index.strides(), src.strides());
        long n = runs.length();
        long os = runs.stride(0);
        long is = runs.stride(1);
        long ss = runs.stride(2);
        DType type = out.dtype();
        DType srcType = src.dtype();
        DType indexType = index.dtype();
        while (runs.next()) {
            long oo = runs.offset(0);
            long io = runs.offset(1);
            long so = runs.offset(2);
            for (long j = 0; j < n; j++) {
                long to = oo + j * os + Elements.readLong(idx, indexType, io + j * is) * along;
                long from = so + j * ss;
                if (mode == ScatterMode.SET) {
                    Elements.writeBits(o, type, to, Elements.readBits(s, srcType, from));
                } else if (type.isFloatingPoint()) {
                    Elements.writeDouble(o, type, to, Elements.readDouble(o, type, to) + Elements.readDouble(s, srcType, from));
                } else {
                    Elements.writeLong(o, type, to, Elements.readLong(o, type, to) + Elements.readLong(s, srcType, from));
                }
            }
        }
    }
}
