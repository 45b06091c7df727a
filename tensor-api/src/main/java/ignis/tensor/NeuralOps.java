package ignis.tensor;

import ignis.tensor.spi.Conv2dKernels;
import ignis.tensor.spi.Conv2dParams;
import ignis.tensor.spi.LogSumExpKernels;
import ignis.tensor.spi.Pool2dKernels;
import ignis.tensor.spi.Pool2dParams;
import ignis.tensor.spi.ReluKernels;
import ignis.tensor.spi.SoftmaxKernels;
import ignis.tensor.spi.TensorOp;
import java.util.List;

/**
 * The operations of neural networks that backends may accelerate: 2-D convolution, pooling and
 * softmax with their gradients, as {@code torch.nn.functional} computes them (NCHW layout). A backend
 * with the optional kernels runs them; otherwise they are composed from strided views, copies,
 * matmul and reductions, so that every backend can run every network.
 */
public final class NeuralOps {

    private NeuralOps() {
    }

    // ---- convolution --------------------------------------------------------------------------

    /** {@code torch.nn.functional.conv2d}; {@code bias} may be null. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, Conv2dParams params) {
        Tensor[] inputs = bias == null ? new Tensor[] {input, weight} : new Tensor[] {input, weight, bias};
        return Recording.apply(TensorOp.CONV2D, List.of(params), () -> conv2dForward(input, weight, bias, params), inputs);
    }

    private static Tensor conv2dForward(Tensor input, Tensor weight, Tensor bias, Conv2dParams params) {
        ConvShape s = ConvShape.of(input, weight, bias, params);
        Tensor out = Creation.empty(Shape.of(s.n, s.oc, s.oh, s.ow), s.dtype, s.device);
        if (out.numel() == 0) {
            return out;
        }
        Conv2dKernels kernels = input.backend().optional(Conv2dKernels.class);
        if (kernels != null) {
            kernels.forward(out.kernelView(), input.kernelView(), weight.kernelView(), bias == null ? null : bias.kernelView(), params);
            return out;
        }
        try (out;
             Tensor cols = columns(input, s);
             Tensor w = weight.reshape(s.groups(), s.oc / s.groups(), s.cg * s.kh * s.kw);
             Tensor product = w.matmul(cols)) { // [N, g, OC/g, OH*OW]
            Tensor result = product.reshape(s.n, s.oc, s.oh, s.ow);
            if (bias == null) {
                return result;
            }
            try (result; Tensor b = bias.reshape(1, s.oc, 1, 1)) {
                return result.add(b);
            }
        }
    }

    /** The gradient of {@link #conv2d} with respect to its input, of the input's shape {@code inputShape}. */
    public static Tensor conv2dBackwardInput(Shape inputShape, Tensor gradOut, Tensor weight, Conv2dParams params) {
        try (DeviceGate.Nesting gate = DeviceGate.enter(new Tensor[] {gradOut, weight})) {
            return conv2dBackwardInputHeld(inputShape, gradOut, weight, params);
        }
    }

    private static Tensor conv2dBackwardInputHeld(Shape inputShape, Tensor gradOut, Tensor weight, Conv2dParams params) {
        Device device = Elementwise.commonDevice("conv2d backward", gradOut, weight);
        requireSameFloat("conv2d backward", gradOut, weight);
        ConvShape s = ConvShape.of(inputShape, weight.shape(), params, weight.dtype(), device);
        s.requireGradOut(gradOut);
        Tensor gradInput = Creation.empty(inputShape, s.dtype, s.device);
        Conv2dKernels kernels = weight.backend().optional(Conv2dKernels.class);
        if (kernels != null && gradInput.numel() > 0) {
            kernels.backwardInput(gradInput.kernelView(), gradOut.kernelView(), weight.kernelView(), params);
            return gradInput;
        }
        gradInput.zero_();
        if (gradInput.numel() == 0 || gradOut.numel() == 0) {
            return gradInput;
        }
        try (gradInput;
             Tensor w = weight.reshape(s.groups(), s.oc / s.groups(), s.cg * s.kh * s.kw);
             Tensor wt = w.transpose(1, 2);
             Tensor g = gradOut.reshape(s.n, s.groups(), s.oc / s.groups(), s.oh * s.ow);
             Tensor gradCols = wt.matmul(g); // [N, g, Cg*KH*KW, OH*OW]
             Tensor cols = gradCols.reshape(s.n, s.c, s.kh, s.kw, s.oh, s.ow);
             Tensor padded = Creation.full(Shape.of(s.n, s.c, s.h + 2L * params.padH(), s.w + 2L * params.padW()), 0, s.dtype, s.device)) {
            accumulateWindows(padded, cols, s.kh, s.kw, s.oh, s.ow, params.strideH(), params.strideW(), params.dilationH(), params.dilationW());
            try (Tensor rows = padded.narrow(2, params.padH(), s.h); Tensor inner = rows.narrow(3, params.padW(), s.w)) {
                return inner.contiguous();
            }
        }
    }

    /** The gradient of {@link #conv2d} with respect to its weight, of the weight's shape {@code weightShape}. */
    public static Tensor conv2dBackwardWeight(Shape weightShape, Tensor gradOut, Tensor input, Conv2dParams params) {
        try (DeviceGate.Nesting gate = DeviceGate.enter(new Tensor[] {gradOut, input})) {
            return weightGradients(weightShape, gradOut, input, params, false)[0];
        }
    }

    /**
     * The gradients of {@link #conv2d} with respect to its weight (of {@code weightShape}) and its bias
     * ({@code [OC]}: gradOut summed over N, H and W), in one pass over gradOut where the backend's kernels can.
     */
    public static Tensor[] conv2dBackwardWeightAndBias(Shape weightShape, Tensor gradOut, Tensor input, Conv2dParams params) {
        try (DeviceGate.Nesting gate = DeviceGate.enter(new Tensor[] {gradOut, input})) {
            return weightGradients(weightShape, gradOut, input, params, true);
        }
    }

    /** The weight gradient and, {@code withBias}, the bias gradient (null otherwise). */
    private static Tensor[] weightGradients(Shape weightShape, Tensor gradOut, Tensor input, Conv2dParams params, boolean withBias) {
        Device device = Elementwise.commonDevice("conv2d backward", gradOut, input);
        requireSameFloat("conv2d backward", gradOut, input);
        ConvShape s = ConvShape.of(input.shape(), weightShape, params, input.dtype(), device);
        s.requireGradOut(gradOut);
        Conv2dKernels kernels = input.backend().optional(Conv2dKernels.class);
        if (kernels != null && weightShape.numel() > 0 && gradOut.numel() > 0) {
            Tensor gradWeight = Creation.empty(weightShape, s.dtype, s.device);
            if (!withBias) {
                kernels.backwardWeight(gradWeight.kernelView(), gradOut.kernelView(), input.kernelView(), params);
                return new Tensor[] {gradWeight, null};
            }
            Tensor gradBias = Creation.empty(Shape.of(s.oc), s.dtype, s.device);
            if (kernels.backwardWeightAndBias(gradWeight.kernelView(), gradBias.kernelView(), gradOut.kernelView(), input.kernelView(),
                    params)) {
                return new Tensor[] {gradWeight, gradBias};
            }
            gradBias.close();
            return new Tensor[] {gradWeight, biasGradient(gradOut)};
        }
        return new Tensor[] {composedWeightGradient(weightShape, gradOut, input, s), withBias ? biasGradient(gradOut) : null};
    }

    private static Tensor biasGradient(Tensor gradOut) {
        return gradOut.sum(new int[] {0, 2, 3}, false);
    }

    /** The weight gradient from columns and matmul, for backends without convolution kernels. */
    private static Tensor composedWeightGradient(Shape weightShape, Tensor gradOut, Tensor input, ConvShape s) {
        Tensor gradWeight = Creation.empty(weightShape, s.dtype, s.device);
        if (gradOut.numel() == 0) {
            return gradWeight.zero_();
        }
        try (gradWeight;
             Tensor cols = columns(input, s);                                   // [N, g, CgKK, L]
             Tensor g = gradOut.reshape(s.n, s.groups(), s.oc / s.groups(), s.oh * s.ow);
             Tensor gPerm = g.permute(1, 2, 0, 3);                               // [g, OC/g, N, L]
             Tensor gFlat = gPerm.reshape(s.groups(), s.oc / s.groups(), s.n * s.oh * s.ow);
             Tensor cPerm = cols.permute(1, 0, 3, 2);                            // [g, N, L, CgKK]
             Tensor cFlat = cPerm.reshape(s.groups(), s.n * s.oh * s.ow, s.cg * s.kh * s.kw);
             Tensor product = gFlat.matmul(cFlat)) {                             // [g, OC/g, CgKK]
            return product.reshape(weightShape.toArray());
        }
    }

    /** The geometry of one convolution, checked. */
    private record ConvShape(long n, long c, long h, long w, long oc, long cg, long kh, long kw, long oh, long ow,
                             Conv2dParams params, DType dtype, Device device) {

        int groups() {
            return params.groups();
        }

        static ConvShape of(Tensor input, Tensor weight, Tensor bias, Conv2dParams p) {
            Device device = Elementwise.commonDevice("conv2d", input, weight, bias);
            requireSameFloat("conv2d", input, weight);
            if (bias != null) {
                requireSameFloat("conv2d", input, bias);
                if (bias.dim() != 1 || bias.size(0) != weight.size(0)) {
                    throw new IllegalArgumentException("conv2d: bias of shape " + bias.shape() + " must be [" + weight.size(0)
                            + "], one per output channel of weight " + weight.shape());
                }
            }
            return of(input.shape(), weight.shape(), p, input.dtype(), device);
        }

        static ConvShape of(Shape input, Shape weight, Conv2dParams p, DType dtype, Device device) {
            if (input.rank() != 4 || weight.rank() != 4) {
                throw new IllegalArgumentException("conv2d: expected input [N, C, H, W] and weight [OC, C/groups, KH, KW], got "
                        + input + " and " + weight);
            }
            long c = input.size(1);
            long oc = weight.size(0);
            long cg = weight.size(1);
            int g = p.groups();
            if (c != cg * g || oc % g != 0) {
                throw new IllegalArgumentException("conv2d: input " + input + " has " + c + " channels, but weight "
                        + weight + " with groups " + g + " expects " + cg * g + " (and output channels divisible by groups)");
            }
            long oh = p.outH(input.size(2), weight.size(2));
            long ow = p.outW(input.size(3), weight.size(3));
            if (oh <= 0 || ow <= 0) {
                throw new IllegalArgumentException("conv2d: input " + input + " padded by (" + p.padH() + ", " + p.padW()
                        + ") is smaller than the dilated kernel of weight " + weight);
            }
            return new ConvShape(input.size(0), c, input.size(2), input.size(3), oc, cg, weight.size(2), weight.size(3),
                    oh, ow, p, dtype, device);
        }

        void requireGradOut(Tensor gradOut) {
            Shape expected = Shape.of(n, oc, oh, ow);
            if (!gradOut.shape().equals(expected)) {
                throw new IllegalArgumentException("conv2d backward: gradOut has shape " + gradOut.shape() + ", expected " + expected);
            }
        }
    }

    /**
     * im2col as a strided view: the windows of the zero-padded input as {@code [N, C, KH, KW, OH, OW]},
     * copied once into {@code [N, groups, C/groups*KH*KW, OH*OW]} for the matmul.
     */
    private static Tensor columns(Tensor input, ConvShape s) {
        Conv2dParams p = s.params;
        try (Tensor padded = padded(input, 0, p.padH(), p.padW())) {
            long[] st = padded.strides;
            long[] dims = {s.n, s.c, s.kh, s.kw, s.oh, s.ow};
            long[] strides = {st[0], st[1], st[2] * p.dilationH(), st[3] * p.dilationW(), st[2] * p.strideH(), st[3] * p.strideW()};
            try (Tensor windows = Views.make(padded, dims, strides, padded.offset)) {
                return windows.reshape(s.n, s.groups(), s.cg * s.kh * s.kw, s.oh * s.ow);
            }
        }
    }

    // ---- pooling ------------------------------------------------------------------------------

    /** {@code torch.nn.functional.max_pool2d(..., return_indices=True)}: maxima and their positions in each input plane. */
    public static ValuesAndIndices maxPool2d(Tensor input, Pool2dParams params) {
        try (DeviceGate.Nesting gate = DeviceGate.enter(new Tensor[] {input})) {
            return maxPool2dHeld(input, params);
        }
    }

    private static ValuesAndIndices maxPool2dHeld(Tensor input, Pool2dParams params) {
        if (!Recording.needed(input)) {
            return maxPool2dForward(input, params);
        }
        ValuesAndIndices result;
        try (GradMode.Scope inner = GradMode.noGrad()) {
            result = maxPool2dForward(input, params);
        }
        Recording.attach(TensorOp.MAX_POOL2D, List.of(params, result.indices()), result.values(), input);
        return result;
    }

    private static ValuesAndIndices maxPool2dForward(Tensor input, Pool2dParams params) {
        PoolShape s = PoolShape.of("maxPool2d", input, params);
        Pool2dKernels kernels = input.backend().optional(Pool2dKernels.class);
        if (kernels != null && s.outNumel() > 0) {
            Tensor out = Creation.empty(s.outShape(), s.dtype, s.device);
            Tensor indices = Creation.empty(s.outShape(), DType.INT64, s.device);
            kernels.maxForward(out.kernelView(), indices.kernelView(), input.kernelView(), params);
            return new ValuesAndIndices(out, indices);
        }
        try (Tensor padded = padded(input, Double.NEGATIVE_INFINITY, params.padH(), params.padW(), s.extraH(), s.extraW());
             Tensor windows = s.windows(padded);
             Tensor flat = windows.reshape(s.n, s.c, s.oh, s.ow, (long) params.kernelH() * params.kernelW());
             ValuesAndIndices best = flat.max(-1, false);
             Tensor kRow = best.indices().floorDivide(params.kernelW());
             Tensor kCol = best.indices().remainder(params.kernelW());
             Tensor rowBase = s.starts(s.oh, params.strideH(), params.padH(), new long[] {s.oh, 1});
             Tensor colBase = s.starts(s.ow, params.strideW(), params.padW(), new long[] {s.ow});
             Tensor rowStep = kRow.mul(params.dilationH());
             Tensor colStep = kCol.mul(params.dilationW());
             Tensor row = rowStep.add(rowBase);
             Tensor col = colStep.add(colBase);
             Tensor rowOffset = row.mul(s.w)) {
            return new ValuesAndIndices(Views.alias(best.values()), rowOffset.add(col));
        }
    }

    /** The gradient of {@link #maxPool2d}: each output gradient added at its maximum's position. */
    public static Tensor maxPool2dBackward(Tensor gradOut, Tensor indices, Shape inputShape, Pool2dParams params) {
        try (DeviceGate.Nesting gate = DeviceGate.enter(new Tensor[] {gradOut, indices})) {
            return maxPool2dBackwardHeld(gradOut, indices, inputShape, params);
        }
    }

    private static Tensor maxPool2dBackwardHeld(Tensor gradOut, Tensor indices, Shape inputShape, Pool2dParams params) {
        PoolShape s = PoolShape.of("maxPool2d backward", inputShape, params, gradOut.dtype(), gradOut.device());
        s.requireGradOut(gradOut);
        Pool2dKernels kernels = gradOut.backend().optional(Pool2dKernels.class);
        if (kernels != null && inputShape.numel() > 0) {
            Tensor gradInput = Creation.empty(inputShape, s.dtype, s.device);
            kernels.maxBackward(gradInput.kernelView(), gradOut.kernelView(), indices.kernelView(), params);
            return gradInput;
        }
        try (Tensor planes = Creation.full(Shape.of(s.n, s.c, s.h * s.w), 0, s.dtype, s.device);
             Tensor flatIndices = indices.reshape(s.n, s.c, s.oh * s.ow);
             Tensor flatGrad = gradOut.reshape(s.n, s.c, s.oh * s.ow)) {
            planes.scatterAdd_(2, flatIndices, flatGrad);
            return planes.reshape(inputShape.toArray());
        }
    }

    /** {@code torch.nn.functional.avg_pool2d} (no dilation, as in PyTorch). */
    public static Tensor avgPool2d(Tensor input, Pool2dParams params) {
        return Recording.apply(TensorOp.AVG_POOL2D, List.of(params), () -> avgPool2dForward(input, params), input);
    }

    private static Tensor avgPool2dForward(Tensor input, Pool2dParams params) {
        PoolShape s = PoolShape.of("avgPool2d", input, params).requireNoDilation();
        Pool2dKernels kernels = input.backend().optional(Pool2dKernels.class);
        if (kernels != null && s.outNumel() > 0) {
            Tensor out = Creation.empty(s.outShape(), s.dtype, s.device);
            kernels.avgForward(out.kernelView(), input.kernelView(), params);
            return out;
        }
        try (Tensor padded = padded(input, 0, params.padH(), params.padW(), s.extraH(), s.extraW());
             Tensor windows = s.windows(padded);
             Tensor sums = windows.sum(new int[] {4, 5}, false);
             Tensor divisor = s.divisors()) {
            return sums.div(divisor);
        }
    }

    /** The gradient of {@link #avgPool2d}: each output gradient spread evenly over its window. */
    public static Tensor avgPool2dBackward(Tensor gradOut, Shape inputShape, Pool2dParams params) {
        try (DeviceGate.Nesting gate = DeviceGate.enter(new Tensor[] {gradOut})) {
            return avgPool2dBackwardHeld(gradOut, inputShape, params);
        }
    }

    private static Tensor avgPool2dBackwardHeld(Tensor gradOut, Shape inputShape, Pool2dParams params) {
        PoolShape s = PoolShape.of("avgPool2d backward", inputShape, params, gradOut.dtype(), gradOut.device()).requireNoDilation();
        s.requireGradOut(gradOut);
        Pool2dKernels kernels = gradOut.backend().optional(Pool2dKernels.class);
        if (kernels != null && inputShape.numel() > 0) {
            Tensor gradInput = Creation.empty(inputShape, s.dtype, s.device);
            kernels.avgBackward(gradInput.kernelView(), gradOut.kernelView(), params);
            return gradInput;
        }
        long ph = params.padH();
        long pw = params.padW();
        try (Tensor divisor = s.divisors();
             Tensor share = gradOut.div(divisor);
             Tensor planes = share.view(s.n, s.c, 1, 1, s.oh, s.ow);
             Tensor spread = planes.expand(s.n, s.c, params.kernelH(), params.kernelW(), s.oh, s.ow);
             Tensor padded = Creation.full(Shape.of(s.n, s.c, s.h + 2 * ph + s.extraH(), s.w + 2 * pw + s.extraW()), 0, s.dtype, s.device)) {
            accumulateWindows(padded, spread, params.kernelH(), params.kernelW(), s.oh, s.ow, params.strideH(), params.strideW(), 1, 1);
            try (Tensor rows = padded.narrow(2, ph, s.h); Tensor inner = rows.narrow(3, pw, s.w)) {
                return inner.contiguous();
            }
        }
    }

    /** The geometry of one pooling, checked. */
    private record PoolShape(long n, long c, long h, long w, long oh, long ow, Pool2dParams p, DType dtype, Device device) {

        static PoolShape of(String op, Tensor input, Pool2dParams p) {
            input.live();
            return of(op, input.shape(), p, input.dtype(), input.device());
        }

        static PoolShape of(String op, Shape input, Pool2dParams p, DType dtype, Device device) {
            if (input.rank() != 4) {
                throw new IllegalArgumentException(op + ": expected input [N, C, H, W], got " + input);
            }
            if (!dtype.isFloatingPoint()) {
                throw new IllegalArgumentException(op + ": expected a floating-point tensor, got " + dtype);
            }
            long oh = p.outH(input.size(2));
            long ow = p.outW(input.size(3));
            if (oh <= 0 || ow <= 0) {
                throw new IllegalArgumentException(op + ": input " + input + " is too small for " + p);
            }
            return new PoolShape(input.size(0), input.size(1), input.size(2), input.size(3), oh, ow, p, dtype, device);
        }

        PoolShape requireNoDilation() {
            if (p.dilationH() != 1 || p.dilationW() != 1) {
                throw new IllegalArgumentException("avgPool2d has no dilation, got " + p);
            }
            return this;
        }

        Shape outShape() {
            return Shape.of(n, c, oh, ow);
        }

        long outNumel() {
            return n * c * oh * ow;
        }

        void requireGradOut(Tensor gradOut) {
            if (!gradOut.shape().equals(outShape())) {
                throw new IllegalArgumentException("pooling backward: gradOut has shape " + gradOut.shape() + ", expected " + outShape());
            }
        }

        /** Rows past the bottom padding that ceil mode's last window reaches. */
        long extraH() {
            return Math.max(0, (oh - 1) * p.strideH() + (long) (p.kernelH() - 1) * p.dilationH() + 1 - (h + 2L * p.padH()));
        }

        long extraW() {
            return Math.max(0, (ow - 1) * p.strideW() + (long) (p.kernelW() - 1) * p.dilationW() + 1 - (w + 2L * p.padW()));
        }

        /** The pooling windows of a padded input as a view {@code [N, C, OH, OW, KH, KW]}. */
        Tensor windows(Tensor padded) {
            long[] st = padded.strides;
            long[] dims = {n, c, oh, ow, p.kernelH(), p.kernelW()};
            long[] strides = {st[0], st[1], st[2] * p.strideH(), st[3] * p.strideW(), st[2] * p.dilationH(), st[3] * p.dilationW()};
            return Views.make(padded, dims, strides, padded.offset);
        }

        /** {@code i * stride - pad} for each output position i, int64, in the given view shape. */
        Tensor starts(long count, int stride, int pad, long[] viewShape) {
            try (Tensor range = Tensors.arange(0, count, 1); Tensor scaled = range.mul(stride); Tensor shifted = scaled.sub(pad);
                 Tensor placed = shifted.to(device)) {
                return placed.view(viewShape);
            }
        }

        /**
         * The number each window's sum is divided by: its size within the padded input, or within the
         * input alone without count_include_pad, as PyTorch computes it.
         */
        Tensor divisors() {
            double[] divisor = new double[Math.toIntExact(oh * ow)];
            for (long i = 0; i < oh; i++) {
                long h0 = i * p.strideH() - p.padH();
                long h1 = Math.min(h0 + p.kernelH(), h + p.padH());
                for (long j = 0; j < ow; j++) {
                    long w0 = j * p.strideW() - p.padW();
                    long w1 = Math.min(w0 + p.kernelW(), w + p.padW());
                    long size = (h1 - h0) * (w1 - w0);
                    if (!p.countIncludePad()) {
                        size = (Math.min(h1, h) - Math.max(h0, 0)) * (Math.min(w1, w) - Math.max(w0, 0));
                    }
                    divisor[Math.toIntExact(i * ow + j)] = size;
                }
            }
            try (Tensor host = Transfers.fromArray(divisor, DType.FLOAT64, Shape.of(oh, ow)); Tensor typed = host.to(dtype)) {
                return typed.to(device);
            }
        }
    }

    /** {@code target[..., kh*dh + oh*sh, kw*dw + ow*sw] += windows[..., kh, kw, oh, ow]} for every kernel offset. */
    private static void accumulateWindows(Tensor target, Tensor windows, long kh, long kw, long oh, long ow,
                                          int sh, int sw, int dh, int dw) {
        for (long i = 0; i < kh; i++) {
            for (long j = 0; j < kw; j++) {
                try (Tensor rows = target.slice(2, i * dh, i * dh + (oh - 1) * sh + 1, sh);
                     Tensor window = rows.slice(3, j * dw, j * dw + (ow - 1) * sw + 1, sw);
                     Tensor a = windows.select(2, i);
                     Tensor b = a.select(2, j)) {
                    window.add_(b);
                }
            }
        }
    }

    /** input padded on both spatial sides with a value: a new tensor, or an alias when there is no padding. */
    private static Tensor padded(Tensor input, double value, int padH, int padW) {
        return padded(input, value, padH, padW, 0, 0);
    }

    /** Padded, with {@code extraH} more rows at the bottom and {@code extraW} more columns on the right. */
    private static Tensor padded(Tensor input, double value, int padH, int padW, long extraH, long extraW) {
        if (padH == 0 && padW == 0 && extraH == 0 && extraW == 0) {
            return Views.alias(input);
        }
        long[] dims = input.shape.toArray();
        dims[2] += 2L * padH + extraH;
        dims[3] += 2L * padW + extraW;
        Tensor out = Creation.full(Shape.of(dims), value, input.dtype, input.device());
        try (Tensor rows = out.narrow(2, padH, input.size(2)); Tensor inner = rows.narrow(3, padW, input.size(3))) {
            inner.copy_(input);
        }
        return out;
    }

    private static void requireSameFloat(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype() || !a.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected floating-point tensors of one dtype, got " + a.dtype() + " and " + b.dtype());
        }
    }

    // ---- ReLU's gradient --------------------------------------------------------------------------

    /**
     * The gradient of {@code relu} given its output (PyTorch's {@code threshold_backward} at 0):
     * {@code gradOut} where {@code out > 0}, else 0; an output of NaN passes no gradient. In one pass
     * where the backend has {@link ReluKernels}, else as {@code where(out > 0, gradOut, 0)}.
     */
    public static Tensor reluBackward(Tensor gradOut, Tensor out) {
        try (DeviceGate.Nesting gate = DeviceGate.enter(new Tensor[] {gradOut, out})) {
            ReluKernels kernels = out.backend().optional(ReluKernels.class);
            boolean kernelDtype = out.dtype == DType.FLOAT32 || out.dtype == DType.FLOAT64;
            if (kernels != null && kernelDtype && gradOut.dtype == out.dtype && gradOut.shape.equals(out.shape)
                    && gradOut.device().equals(out.device())) {
                Tensor gradIn = Creation.empty(out.shape, out.dtype, out.device());
                if (out.numel() > 0) {
                    kernels.reluBackward(gradIn.kernelView(), gradOut.kernelView(), out.kernelView());
                }
                return gradIn;
            }
            try (Tensor positive = out.gt(0.0)) {
                return Tensors.where(positive, gradOut, 0.0);
            }
        }
    }

    // ---- cross-entropy ----------------------------------------------------------------------------

    /**
     * The cross-entropy of {@code logits [N, C]} against class indices {@code target [N]} (integral, each in
     * {@code [0, C)}), summed over the rows and multiplied by {@code scale} ({@code 1.0 / N} gives PyTorch's mean):
     * {@code -scale * sum_n logSoftmax(logits)[n, target[n]]}, a scalar in the logits' dtype. Its gradient,
     * {@code scale * g * (softmax(logits) - onehot(target))}, takes one exp of the kept log-softmax and a scatter
     * of N values, where log-softmax's and nll's gradients scatter into zeros and then read them back.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, double scale) {
        try (DeviceGate.Nesting gate = DeviceGate.enter(new Tensor[] {logits, target})) {
            return crossEntropyHeld(logits, target, scale);
        }
    }

    private static Tensor crossEntropyHeld(Tensor logits, Tensor target, double scale) {
        if (logits.dim() != 2 || !logits.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("crossEntropy: expected floating-point logits [N, C], got " + logits.dtype + " " + logits.shape);
        }
        if (target.dim() != 1 || target.size(0) != logits.size(0) || target.dtype.isFloatingPoint() || target.dtype == DType.BOOL) {
            throw new IllegalArgumentException("crossEntropy: expected integral class indices [" + logits.size(0) + "] for logits "
                    + logits.shape + ", got " + target.dtype + " " + target.shape);
        }
        boolean record = Recording.needed(logits);
        boolean kernelDtype = logits.dtype == DType.FLOAT32 || logits.dtype == DType.FLOAT64;
        if (!record && kernelDtype && logits.backend().optional(LogSumExpKernels.class) != null) {
            return crossEntropyValue(logits, target, scale);
        }
        Tensor loss;
        try (GradMode.Scope inner = GradMode.noGrad(); Tensor wide = target.to(DType.INT64); Tensor indices = wide.unsqueeze(1);
             Tensor logProbabilities = logits.logSoftmax(1); Tensor picked = logProbabilities.gather(1, indices);
             Tensor total = picked.sum()) {
            loss = total.mul(-scale);
            if (record) {
                Recording.attach(TensorOp.CROSS_ENTROPY, List.of(indices, scale, logProbabilities), loss, logits);
            }
        }
        return loss;
    }

    /**
     * The loss alone, where no gradient is wanted and the backend has {@link LogSumExpKernels}:
     * {@code scale * sum_n (logsumexp(logits[n]) - logits[n, target[n]])}, which reads the logits twice and writes no
     * log-softmax (composed, logsumexp would take more passes than the log-softmax kernels of the backends without it).
     * It may differ from the recorded form's value in the last bits: that rounds {@code (x - max) - log(sum)} per class.
     */
    private static Tensor crossEntropyValue(Tensor logits, Tensor target, double scale) {
        try (GradMode.Scope inner = GradMode.noGrad(); Tensor wide = target.to(DType.INT64); Tensor indices = wide.unsqueeze(1);
             Tensor normalizers = logits.logsumexp(1, true); Tensor picked = logits.gather(1, indices);
             Tensor losses = normalizers.sub(picked); Tensor total = losses.sum()) {
            return total.mul(scale);
        }
    }

    // ---- softmax gradients --------------------------------------------------------------------

    /** The gradient of {@code softmax(dim)} given its output. */
    public static Tensor softmaxBackward(Tensor gradOut, Tensor out, int dim) {
        try (DeviceGate.Nesting gate = DeviceGate.enter(new Tensor[] {gradOut, out})) {
            return softmaxBackwardHeld(gradOut, out, dim);
        }
    }

    private static Tensor softmaxBackwardHeld(Tensor gradOut, Tensor out, int dim) {
        SoftmaxKernels kernels = out.backend().optional(SoftmaxKernels.class);
        if (kernels != null && out.numel() > 0) {
            Tensor gradIn = Creation.empty(out.shape, out.dtype, out.device());
            kernels.softmaxBackward(gradIn.kernelView(), gradOut.kernelView(), out.kernelView(), Shape.normalizeDim(dim, out.dim()));
            return gradIn;
        }
        try (Tensor product = gradOut.mul(out); Tensor total = product.sum(dim, true); Tensor centered = gradOut.sub(total)) {
            return out.mul(centered);
        }
    }

    /** The gradient of {@code logSoftmax(dim)} given its output. */
    public static Tensor logSoftmaxBackward(Tensor gradOut, Tensor out, int dim) {
        try (DeviceGate.Nesting gate = DeviceGate.enter(new Tensor[] {gradOut, out})) {
            return logSoftmaxBackwardHeld(gradOut, out, dim);
        }
    }

    private static Tensor logSoftmaxBackwardHeld(Tensor gradOut, Tensor out, int dim) {
        SoftmaxKernels kernels = out.backend().optional(SoftmaxKernels.class);
        if (kernels != null && out.numel() > 0) {
            Tensor gradIn = Creation.empty(out.shape, out.dtype, out.device());
            kernels.logSoftmaxBackward(gradIn.kernelView(), gradOut.kernelView(), out.kernelView(), Shape.normalizeDim(dim, out.dim()));
            return gradIn;
        }
        try (Tensor total = gradOut.sum(dim, true); Tensor probabilities = out.exp(); Tensor scaled = probabilities.mul(total)) {
            return gradOut.sub(scaled);
        }
    }

}
