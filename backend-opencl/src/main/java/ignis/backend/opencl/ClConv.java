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

    private static long[] cp(long kh, long kw, long oh, long ow, Conv2dParams p) {
        return new long[] {kh, kw, oh, ow, p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW()};
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
        long n = input.shape()[0];
        long c = input.shape()[1];
        long oc = weight.shape()[0];
        long kh = weight.shape()[2];
        long kw = weight.shape()[3];
        long oh = out.shape()[2];
        long ow = out.shape()[3];
        long g = p.groups();
        long ocg = oc / g;
        long kg = c / g * kh * kw;
        long l = oh * ow;
        long[] geom = cp(kh, kw, oh, ow, p);
        try (Scratch scratch = new Scratch()) {
            TensorView w = scratch.dense(weight);
            TensorView o = out.isContiguous() ? out : scratch.dense(t, out.shape());
            long nb = chunk(n, c * kh * kw * l, t);
            TensorView cols = scratch.dense(t, nb * c * kh * kw * l);
            for (long n0 = 0; n0 < n; n0 += nb) {
                long m = Math.min(nb, n - n0);
                im2col(cols, input, geom, m, n0, c * kh * kw * l, l, c * kh * kw * l);
                backend.matmul(view(o, o.offset() + n0 * oc * l, new long[] {m, g, ocg, l}, oc * l, ocg * l, l, 1),
                        view(w, w.offset(), new long[] {m, g, ocg, kg}, 0, ocg * kg, kg, 1),
                        view(cols, 0, new long[] {m, g, kg, l}, g * kg * l, kg * l, l, 1));
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
        long n = gradInput.shape()[0];
        long c = gradInput.shape()[1];
        long oc = weight.shape()[0];
        long kh = weight.shape()[2];
        long kw = weight.shape()[3];
        long oh = gradOut.shape()[2];
        long ow = gradOut.shape()[3];
        long g = p.groups();
        long ocg = oc / g;
        long kg = c / g * kh * kw;
        long l = oh * ow;
        long[] geom = cp(kh, kw, oh, ow, p);
        long perInput = c * gradInput.shape()[2] * gradInput.shape()[3];
        try (Scratch scratch = new Scratch()) {
            TensorView w = scratch.dense(weight);
            TensorView go = scratch.dense(gradOut);
            long nb = chunk(n, c * kh * kw * l, t);
            TensorView cols = scratch.dense(t, nb * c * kh * kw * l);
            for (long n0 = 0; n0 < n; n0 += nb) {
                long m = Math.min(nb, n - n0);
                backend.matmul(view(cols, 0, new long[] {m, g, kg, l}, g * kg * l, kg * l, l, 1),
                        view(w, w.offset(), new long[] {m, g, kg, ocg}, 0, ocg * kg, 1, kg),
                        view(go, go.offset() + n0 * oc * l, new long[] {m, g, ocg, l}, oc * l, ocg * l, l, 1));
                String name = "col2im_" + KernelSource.tag(t);
                backend.launch(name, () -> KernelSource.col2im(name, t), m * perInput, t4(gradInput), geom, gradInput, cols,
                        m * perInput, n0, c * kh * kw * l, l);
            }
        }
    }

    @Override
    public void backwardWeight(TensorView gradWeight, TensorView gradOut, TensorView input, Conv2dParams p) {
        DType t = gradWeight.dtype();
        long n = input.shape()[0];
        long c = input.shape()[1];
        long oc = gradWeight.shape()[0];
        long kh = gradWeight.shape()[2];
        long kw = gradWeight.shape()[3];
        long oh = gradOut.shape()[2];
        long ow = gradOut.shape()[3];
        long g = p.groups();
        long ocg = oc / g;
        long kg = c / g * kh * kw;
        long l = oh * ow;
        long[] geom = cp(kh, kw, oh, ow, p);
        long[] gs = gradOut.strides();
        try (Scratch scratch = new Scratch()) {
            TensorView gw = gradWeight.isContiguous() ? gradWeight : scratch.dense(t, gradWeight.shape());
            long nb = chunk(n, c * kh * kw * l + oc * l, t);
            TensorView cols = scratch.dense(t, c * kh * kw * nb * l);
            TensorView go = scratch.dense(t, oc * nb * l);
            TensorView partial = nb < n ? scratch.dense(t, gw.shape()) : null;
            for (long n0 = 0; n0 < n; n0 += nb) {
                long m = Math.min(nb, n - n0);
                long ml = m * l;
                // cols[ck, n, q] and gradOut as [oc, n, q]: the GEMM's reduction runs over (n, q), dense
                im2col(cols, input, geom, m, n0, l, ml, c * kh * kw * l);
                backend.copy(view(go, 0, new long[] {oc, m, oh, ow}, ml, l, ow, 1),
                        view(gradOut, gradOut.offset() + n0 * gs[0], new long[] {oc, m, oh, ow}, gs[1], gs[0], gs[2], gs[3]));
                TensorView target = n0 == 0 ? gw : partial;
                backend.matmul(view(target, target.offset(), new long[] {g, ocg, kg}, ocg * kg, kg, 1),
                        view(go, 0, new long[] {g, ocg, ml}, ocg * ml, ml, 1),
                        view(cols, 0, new long[] {g, ml, kg}, kg * ml, 1, ml));
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
