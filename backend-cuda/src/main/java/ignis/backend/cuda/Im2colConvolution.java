package ignis.backend.cuda;

import ignis.tensor.DType;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.Conv2dParams;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.TensorView;

/**
 * 2-D convolution and its gradients as matrix products, the way PyTorch computes them without cuDNN:
 * the input's patches are laid out as columns ({@code ignis_im2col}, dense [N, C*KH*KW, OH*OW]), so
 * that per sample and group {@code out = W cols}, {@code gradCols = W^T gradOut} (summed back onto the
 * input by {@code ignis_col2im}) and {@code gradW = sum over samples of gradOut cols^T}. The products
 * are one batched matmul each, through cuBLAS where the device has it. Batches whose temporaries would
 * take more than {@link #MAX_TEMP_BYTES} run in chunks of samples.
 */
final class Im2colConvolution {

    /** The most device memory one chunk's temporaries take. */
    static final long MAX_TEMP_BYTES = 256L << 20;

    private final CudaBackend backend;
    private long maxTempBytes = MAX_TEMP_BYTES;

    Im2colConvolution(CudaBackend backend) {
        this.backend = backend;
    }

    /** Sets the temporary budget, so that tests can make small batches run in chunks. */
    void maxTempBytes(long bytes) {
        maxTempBytes = bytes;
    }

    /** The sizes of one convolution; {@code cols} is C*KH*KW / groups, {@code pixels} OH*OW. */
    private record Geometry(long n, long c, long groups, long outPerGroup, long kh, long kw, long oh, long ow) {

        static Geometry of(TensorView input, TensorView weight, long oh, long ow, int groups) {
            long oc = weight.shape()[0];
            return new Geometry(input.shape()[0], input.shape()[1], groups, oc / groups, weight.shape()[2], weight.shape()[3], oh, ow);
        }

        long cols() {
            return c / groups * kh * kw;
        }

        long pixels() {
            return oh * ow;
        }

        /** Samples per chunk: the columns, and the weight gradient's per-sample products, fit in {@code budget} bytes. */
        long chunk(DType dtype, long budget) {
            long perSample = Math.max(c * kh * kw * pixels(), groups * outPerGroup * cols()) * dtype.byteSize();
            return Math.max(1, Math.min(n, budget / Math.max(1, perSample)));
        }
    }

    void forward(TensorView out, TensorView input, TensorView weight, TensorView bias, Conv2dParams p) {
        Geometry g = Geometry.of(input, weight, out.shape()[2], out.shape()[3], p.groups());
        DType dtype = out.dtype();
        TensorView w = dense(weight);
        TensorView dst = out;
        if (!pixelsMerge(out)) {
            dst = temp(dtype, out.shape());
        }
        long chunk = g.chunk(dtype, maxTempBytes);
        for (long b0 = 0; b0 < g.n(); b0 += chunk) {
            long b = Math.min(chunk, g.n() - b0);
            TensorView cols = im2col(samples(input, b0, b), g, p);
            // [b, G, OCg, L] = [b (stride 0), G, OCg, CKg] x [b, G, CKg, L]
            backend.matmul(grouped(samples(dst, b0, b), g.groups(), g.outPerGroup(), g.pixels()),
                    weights(w, b, g), grouped(cols, g.groups(), g.cols(), g.pixels()));
            cols.storage().release();
        }
        if (dst != out) {
            backend.copy(out, dst);
        }
        releaseCopy(dst, out);
        releaseCopy(w, weight);
        if (bias != null) {
            long[] strides = {0, bias.strides()[0], 0, 0};
            backend.binary(BinaryOp.ADD, out, out, new TensorView(bias.storage(), bias.dtype(), bias.offset(), out.shape(), strides));
        }
    }

    void backwardInput(TensorView gradInput, TensorView gradOut, TensorView weight, Conv2dParams p) {
        Geometry g = Geometry.of(gradInput, weight, gradOut.shape()[2], gradOut.shape()[3], p.groups());
        DType dtype = gradInput.dtype();
        TensorView w = dense(weight);
        TensorView gout = pixelsMerge(gradOut) ? gradOut : dense(gradOut);
        long chunk = g.chunk(dtype, maxTempBytes);
        for (long b0 = 0; b0 < g.n(); b0 += chunk) {
            long b = Math.min(chunk, g.n() - b0);
            TensorView cols = temp(dtype, b, g.c() * g.kh() * g.kw(), g.pixels());
            // [b, G, CKg, L] = [b (stride 0), G, CKg, OCg] x [b, G, OCg, L]
            backend.matmul(grouped(cols, g.groups(), g.cols(), g.pixels()), transposed(weights(w, b, g)),
                    grouped(samples(gout, b0, b), g.groups(), g.outPerGroup(), g.pixels()));
            col2im(samples(gradInput, b0, b), cols, g, p);
            cols.storage().release();
        }
        releaseCopy(gout, gradOut);
        releaseCopy(w, weight);
    }

    void backwardWeight(TensorView gradWeight, TensorView gradOut, TensorView input, Conv2dParams p) {
        Geometry g = Geometry.of(input, gradWeight, gradOut.shape()[2], gradOut.shape()[3], p.groups());
        DType dtype = gradWeight.dtype();
        TensorView gout = pixelsMerge(gradOut) ? gradOut : dense(gradOut);
        TensorView gw = gradWeight.isContiguous() ? gradWeight : temp(dtype, gradWeight.shape());
        // gw as [1, G, OCg, CKg], the sum over axis 0 of the per-sample products
        TensorView sum = new TensorView(gw.storage(), dtype, gw.offset(), new long[] {1, g.groups(), g.outPerGroup(), g.cols()},
                new long[] {0, g.outPerGroup() * g.cols(), g.cols(), 1});
        TensorView partial = null;
        long chunk = g.chunk(dtype, maxTempBytes);
        for (long b0 = 0; b0 < g.n(); b0 += chunk) {
            long b = Math.min(chunk, g.n() - b0);
            TensorView cols = im2col(samples(input, b0, b), g, p);
            TensorView products = temp(dtype, b, g.groups(), g.outPerGroup(), g.cols());
            // [b, G, OCg, CKg] = [b, G, OCg, L] x [b, G, L, CKg]
            backend.matmul(products, grouped(samples(gout, b0, b), g.groups(), g.outPerGroup(), g.pixels()),
                    transposed(grouped(cols, g.groups(), g.cols(), g.pixels())));
            if (b0 == 0) {
                backend.reduce(ReduceOp.SUM, sum, products, new int[] {0});
            } else {
                if (partial == null) {
                    partial = temp(dtype, sum.shape());
                }
                backend.reduce(ReduceOp.SUM, partial, products, new int[] {0});
                backend.binary(BinaryOp.ADD, sum, sum, partial);
            }
            products.storage().release();
            cols.storage().release();
        }
        if (partial != null) {
            partial.storage().release();
        }
        if (gw != gradWeight) {
            backend.copy(gradWeight, gw);
        }
        releaseCopy(gw, gradWeight);
        releaseCopy(gout, gradOut);
    }

    private TensorView im2col(TensorView input, Geometry g, Conv2dParams p) {
        TensorView cols = temp(input.dtype(), input.shape()[0], g.c() * g.kh() * g.kw(), g.pixels());
        long n = cols.numel();
        backend.launch1d("ignis_im2col", n, backend.args().addView(cols).addInt(CudaBackend.code(cols)).addPointer(backend.address(cols))
                .addView(input).addPointer(backend.address(input)).addInt((int) g.kh()).addInt((int) g.kw())
                .addLong(g.oh()).addLong(g.ow()).addInts(CudaNeuralKernels.conv(p)).addLong(n));
        return cols;
    }

    private void col2im(TensorView gradInput, TensorView cols, Geometry g, Conv2dParams p) {
        long n = gradInput.numel();
        backend.launch1d("ignis_col2im", n, backend.args().addView(gradInput).addInt(CudaBackend.code(gradInput))
                .addPointer(backend.address(gradInput)).addView(cols).addPointer(backend.address(cols))
                .addInt((int) g.kh()).addInt((int) g.kw()).addLong(g.oh()).addLong(g.ow()).addInts(CudaNeuralKernels.conv(p)).addLong(n));
    }

    /** The weight [OC, C/G, KH, KW] as [b, G, OCg, CKg], the same matrices for every sample (batch stride 0). */
    private static TensorView weights(TensorView w, long b, Geometry g) {
        return new TensorView(w.storage(), w.dtype(), w.offset(), new long[] {b, g.groups(), g.outPerGroup(), g.cols()},
                new long[] {0, g.outPerGroup() * g.cols(), g.cols(), 1});
    }

    /** An NCHW view (H and W merging) as [N, G, rows, H*W]: channel c of group i is row c - i*rows. */
    private static TensorView grouped(TensorView v, long groups, long rows, long pixels) {
        long[] s = v.strides();
        long pixelStride = s[s.length - 1];
        long rowStride = v.rank() == 4 ? s[1] : pixels * pixelStride;
        return new TensorView(v.storage(), v.dtype(), v.offset(), new long[] {v.shape()[0], groups, rows, pixels},
                new long[] {s[0], rows * rowStride, rowStride, pixelStride});
    }

    private static TensorView transposed(TensorView v) {
        long[] shape = v.shape().clone();
        long[] strides = v.strides().clone();
        int r = v.rank();
        shape[r - 2] = v.shape()[r - 1];
        shape[r - 1] = v.shape()[r - 2];
        strides[r - 2] = v.strides()[r - 1];
        strides[r - 1] = v.strides()[r - 2];
        return new TensorView(v.storage(), v.dtype(), v.offset(), shape, strides);
    }

    /** Samples {@code [b0, b0 + count)} of a batch. */
    private static TensorView samples(TensorView v, long b0, long count) {
        long[] shape = v.shape().clone();
        shape[0] = count;
        return new TensorView(v.storage(), v.dtype(), v.offset() + b0 * v.strides()[0], shape, v.strides());
    }

    /** Whether an NCHW view's H and W axes read as one axis of H*W pixels. */
    private static boolean pixelsMerge(TensorView v) {
        return v.shape()[2] == 1 || v.strides()[2] == v.shape()[3] * v.strides()[3];
    }

    /** The view itself when it is dense, else a dense copy on the device. */
    private TensorView dense(TensorView v) {
        if (v.isContiguous()) {
            return v;
        }
        TensorView copy = temp(v.dtype(), v.shape());
        backend.copy(copy, v);
        return copy;
    }

    /** Releases {@code used} when it is a temporary standing in for {@code original}. */
    private static void releaseCopy(TensorView used, TensorView original) {
        if (used != original) {
            used.storage().release();
        }
    }

    /** A dense temporary on the device, released by the caller once the kernels that use it are queued. */
    private TensorView temp(DType dtype, long... shape) {
        long numel = 1;
        for (long size : shape) {
            numel = Math.multiplyExact(numel, size);
        }
        return CudaBackend.dense(backend.allocate(Math.multiplyExact(numel, dtype.byteSize())), dtype, shape);
    }
}
