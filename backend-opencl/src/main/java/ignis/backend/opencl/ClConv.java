package ignis.backend.opencl;

import ignis.tensor.DType;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.Conv2dKernels;
import ignis.tensor.spi.Conv2dParams;
import ignis.tensor.spi.TensorView;
import java.util.ArrayList;
import java.util.List;

/**
 * 2-D convolution, NCHW, as im2col + this backend's GEMM kernels (a direct kernel, one work item per
 * output, was 5x slower than the core's composition on PoCL). The columns of a chunk of samples go to
 * a device scratch buffer, released (OpenCL frees it once the queued kernels are done) before returning.
 *
 * <ul>
 *   <li>forward: cols {@code [n, g, Cg*KH*KW, OH*OW]}, out{@code [n, g]} = W{@code [g]} @ cols{@code [n, g]}, then bias added;
 *   <li>backwardInput: cols{@code [n, g]} = W{@code [g]}^T @ gradOut{@code [n, g]}, then col2im (one work item per input element);
 *   <li>backwardWeight: cols laid out {@code [g, Cg*KH*KW, n*OH*OW]}, gradOut copied to {@code [g, OC/g, n*OH*OW]},
 *       gradW{@code [g]} = gradOut{@code [g]} @ cols{@code [g]}^T, a GEMM whose reduction runs over the batch.
 * </ul>
 */
final class ClConv implements Conv2dKernels {

    /** The most bytes of columns computed at once; larger batches go in chunks of samples (tests lower it). */
    static volatile long columnBytes = 256L << 20;

    private final OpenCLBackend backend;

    ClConv(OpenCLBackend backend) {
        this.backend = backend;
    }

    /** The scratch buffers of one call, released together. */
    private final class Scratch implements AutoCloseable {
        private final List<ClStorage> buffers = new ArrayList<>();

        TensorView dense(DType t, long... shape) {
            long[] strides = new long[shape.length];
            long n = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                strides[d] = n;
                n *= shape[d];
            }
            ClStorage s = (ClStorage) backend.allocate(n * t.byteSize());
            buffers.add(s);
            return new TensorView(s, t, 0, shape, strides);
        }

        /** v itself when dense, else a dense copy of it. */
        TensorView dense(TensorView v) {
            if (v.isContiguous()) {
                return v;
            }
            TensorView d = dense(v.dtype(), v.shape());
            backend.copy(d, v);
            return d;
        }

        @Override
        public void close() {
            for (ClStorage s : buffers) {
                s.release();
            }
        }
    }

    private static long[] t4(TensorView v) {
        long[] s = v.strides();
        long[] d = v.shape();
        return new long[] {v.offset(), s[0], s[1], s[2], s[3], d[0], d[1], d[2], d[3]};
    }

    /** The sizes of one convolution, read from the input's, weight's and output's shapes. */
    private record Geometry(long n, long c, long oc, long kh, long kw, long oh, long ow, long g, long[] kernelArgs) {

        static Geometry of(long[] input, long[] weight, long[] out, Conv2dParams p) {
            long kh = weight[2];
            long kw = weight[3];
            return new Geometry(input[0], input[1], weight[0], kh, kw, out[2], out[3], p.groups(), new long[] {
                kh, kw, out[2], out[3], p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW()});
        }

        long ocg() {
            return oc / g;
        }

        /** Rows of a group's columns: C/g * KH * KW. */
        long kg() {
            return c / g * kh * kw;
        }

        /** Output positions per plane: OH * OW. */
        long l() {
            return oh * ow;
        }

        /** Column values per sample: C * KH * KW * OH * OW. */
        long columns() {
            return c * kh * kw * l();
        }
    }

    private static TensorView view(TensorView v, long offset, long[] shape, long... strides) {
        return new TensorView(v.storage(), v.dtype(), offset, shape, strides);
    }

    /** Samples per chunk so that the columns of a chunk stay under {@link #columnBytes}. */
    private long chunk(long n, long perSample, DType t) {
        long limit = Math.min(columnBytes, backend.cl.maxAlloc);
        return Math.max(1, Math.min(n, limit / Math.max(1, perSample * t.byteSize())));
    }

    private void im2col(TensorView cols, TensorView input, long[] geom, long samples, long n0, long sn, long sck, long perSample) {
        String name = "im2col_" + KernelSource.tag(input.dtype());
        backend.launch(name, () -> KernelSource.im2col(name, input.dtype()), samples * perSample, t4(input), geom, cols, input,
                samples * perSample, n0, sn, sck);
    }

    @Override
    public void forward(TensorView out, TensorView input, TensorView weight, TensorView bias, Conv2dParams p) {
        DType t = out.dtype();
        Geometry s = Geometry.of(input.shape(), weight.shape(), out.shape(), p);
        try (Scratch scratch = new Scratch()) {
            TensorView w = scratch.dense(weight);
            TensorView o = out.isContiguous() ? out : scratch.dense(t, out.shape());
            long nb = chunk(s.n(), s.columns(), t);
            TensorView cols = scratch.dense(t, nb * s.columns());
            for (long n0 = 0; n0 < s.n(); n0 += nb) {
                long m = Math.min(nb, s.n() - n0);
                im2col(cols, input, s.kernelArgs(), m, n0, s.columns(), s.l(), s.columns());
                backend.matmul(view(o, o.offset() + n0 * s.oc() * s.l(), new long[] {m, s.g(), s.ocg(), s.l()},
                                s.oc() * s.l(), s.ocg() * s.l(), s.l(), 1),
                        view(w, w.offset(), new long[] {m, s.g(), s.ocg(), s.kg()}, 0, s.ocg() * s.kg(), s.kg(), 1),
                        view(cols, 0, new long[] {m, s.g(), s.kg(), s.l()}, s.g() * s.kg() * s.l(), s.kg() * s.l(), s.l(), 1));
            }
            if (bias != null) {
                TensorView b = view(bias, bias.offset(), out.shape(), 0, bias.strides()[0], 0, 0);
                backend.binary(BinaryOp.ADD, o, o, b);
            }
            if (o != out) {
                backend.copy(out, o);
            }
        }
    }

    @Override
    public void backwardInput(TensorView gradInput, TensorView gradOut, TensorView weight, Conv2dParams p) {
        DType t = gradInput.dtype();
        Geometry s = Geometry.of(gradInput.shape(), weight.shape(), gradOut.shape(), p);
        long perInput = s.c() * gradInput.shape()[2] * gradInput.shape()[3];
        try (Scratch scratch = new Scratch()) {
            TensorView w = scratch.dense(weight);
            TensorView go = scratch.dense(gradOut);
            long nb = chunk(s.n(), s.columns(), t);
            TensorView cols = scratch.dense(t, nb * s.columns());
            for (long n0 = 0; n0 < s.n(); n0 += nb) {
                long m = Math.min(nb, s.n() - n0);
                backend.matmul(view(cols, 0, new long[] {m, s.g(), s.kg(), s.l()}, s.g() * s.kg() * s.l(), s.kg() * s.l(), s.l(), 1),
                        view(w, w.offset(), new long[] {m, s.g(), s.kg(), s.ocg()}, 0, s.ocg() * s.kg(), 1, s.kg()),
                        view(go, go.offset() + n0 * s.oc() * s.l(), new long[] {m, s.g(), s.ocg(), s.l()},
                                s.oc() * s.l(), s.ocg() * s.l(), s.l(), 1));
                String name = "col2im_" + KernelSource.tag(t);
                backend.launch(name, () -> KernelSource.col2im(name, t), m * perInput, t4(gradInput), s.kernelArgs(),
                        gradInput, cols, m * perInput, n0, s.columns(), s.l());
            }
        }
    }

    @Override
    public void backwardWeight(TensorView gradWeight, TensorView gradOut, TensorView input, Conv2dParams p) {
        DType t = gradWeight.dtype();
        Geometry s = Geometry.of(input.shape(), gradWeight.shape(), gradOut.shape(), p);
        long[] gs = gradOut.strides();
        try (Scratch scratch = new Scratch()) {
            TensorView gw = gradWeight.isContiguous() ? gradWeight : scratch.dense(t, gradWeight.shape());
            long nb = chunk(s.n(), s.columns() + s.oc() * s.l(), t);
            TensorView cols = scratch.dense(t, s.columns() * nb);
            TensorView go = scratch.dense(t, s.oc() * nb * s.l());
            TensorView partial = nb < s.n() ? scratch.dense(t, gw.shape()) : null;
            for (long n0 = 0; n0 < s.n(); n0 += nb) {
                long m = Math.min(nb, s.n() - n0);
                long ml = m * s.l();
                // cols[ck, n, q] and gradOut as [oc, n, q]: the GEMM's reduction runs over (n, q), dense
                im2col(cols, input, s.kernelArgs(), m, n0, s.l(), ml, s.columns());
                backend.copy(view(go, 0, new long[] {s.oc(), m, s.oh(), s.ow()}, ml, s.l(), s.ow(), 1),
                        view(gradOut, gradOut.offset() + n0 * gs[0], new long[] {s.oc(), m, s.oh(), s.ow()}, gs[1], gs[0], gs[2], gs[3]));
                TensorView target = n0 == 0 ? gw : partial;
                backend.matmul(view(target, target.offset(), new long[] {s.g(), s.ocg(), s.kg()}, s.ocg() * s.kg(), s.kg(), 1),
                        view(go, 0, new long[] {s.g(), s.ocg(), ml}, s.ocg() * ml, ml, 1),
                        view(cols, 0, new long[] {s.g(), ml, s.kg()}, s.kg() * ml, 1, ml));
                if (n0 > 0) {
                    backend.binary(BinaryOp.ADD, gw, gw, partial);
                }
            }
            if (gw != gradWeight) {
                backend.copy(gradWeight, gw);
            }
        }
    }
}
