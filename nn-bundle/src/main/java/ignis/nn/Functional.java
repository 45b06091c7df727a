package ignis.nn;

import ignis.nn.internal.Repr;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Generator;
import ignis.tensor.GradMode;
import ignis.tensor.NeuralOps;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import ignis.tensor.spi.Conv2dParams;
import ignis.tensor.spi.Pool2dParams;
import java.util.Arrays;

/**
 * The stateless functions the layers delegate to, as {@code torch.nn.functional}: every one is
 * composed of differentiable tensor ops, so autograd differentiates it, and returns a new tensor
 * handle (never one of its arguments) that the caller closes or its scope does. Intermediate
 * results are closed before returning.
 *
 * <p>Bad arguments (wrong rank, channel count, class index out of range) throw
 * {@link IllegalArgumentException} naming the shapes and values.
 */
public final class Functional {

    /** PyTorch's default {@code ignore_index}. */
    public static final long DEFAULT_IGNORE_INDEX = -100;

    private Functional() {
    }

    /** A new handle to the same tensor (and place in the graph): what a function returns when it changes nothing. */
    static Tensor alias(Tensor x) {
        return x.reshape(x.shape().toArray());
    }

    // ---- linear and convolution ---------------------------------------------------------------

    /** {@code input @ weight.T + bias}: input {@code [*, in]}, weight {@code [out, in]}, bias {@code [out]} or null. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("linear: weight must be [out_features, in_features], got " + weight.shape());
        }
        if (input.dim() == 0 || input.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: input " + input.shape() + " must end in in_features=" + weight.size(1)
                    + " (weight " + weight.shape() + ")" + (input.dim() == 0 ? "" : ", got " + input.size(-1)));
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("linear: bias " + bias.shape() + " must be [" + weight.size(0) + "] for weight " + weight.shape());
        }
        try (TensorScope scope = Tensors.scope()) {
            Tensor out = input.matmul(weight.t());
            if (bias != null) {
                out = out.add(bias);
            }
            return scope.keep(out);
        }
    }

    public static Tensor linear(Tensor input, Tensor weight) {
        return linear(input, weight, null);
    }

    /**
     * {@code torch.nn.functional.conv2d}: input {@code [N, C, H, W]} (or unbatched {@code [C, H, W]}),
     * weight {@code [OC, C/groups, KH, KW]}, bias {@code [OC]} or null; stride, padding and dilation
     * as one value or an (h, w) pair.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        int[] s = pair("conv2d", "stride", stride);
        int[] p = pair("conv2d", "padding", padding);
        int[] d = pair("conv2d", "dilation", dilation);
        requireWeightRank("conv2d", weight, 4, "[out_channels, in_channels/groups, kH, kW]");
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException("conv2d: expected a 3-D (unbatched) or 4-D (batched) input [N, C, H, W], got " + input.shape());
        }
        checkGroups("conv2d", input, input.size(-3), weight, groups);
        boolean unbatched = input.dim() == 3;
        try (TensorScope scope = Tensors.scope()) {
            Tensor x = unbatched ? input.unsqueeze(0) : input;
            Tensor out = NeuralOps.conv2d(x, weight, bias, new Conv2dParams(s[0], s[1], p[0], p[1], d[0], d[1], groups));
            return scope.keep(unbatched ? out.squeeze(0) : out);
        }
    }

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return conv2d(input, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {dilation}, groups);
    }

    /** With stride 1, no padding, no dilation, one group. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return conv2d(input, weight, bias, 1, 0, 1, 1);
    }

    /**
     * {@code torch.nn.functional.conv2d} with the padding given by name: "valid" (none) or "same" (the output as large as
     * the input; stride 1 only), where an odd total puts the extra zero at the bottom and right, as PyTorch does.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        requireWeightRank("conv2d", weight, 4, "[out_channels, in_channels/groups, kH, kW]");
        ConvPadding p = ConvPadding.of("conv2d", padding, pair("conv2d", "stride", stride), new long[] {weight.size(2), weight.size(3)},
                pair("conv2d", "dilation", dilation));
        try (TensorScope scope = Tensors.scope()) {
            return scope.keep(conv2d(p.padEnds(input), weight, bias, stride, p.before(), dilation, groups));
        }
    }

    /**
     * {@code torch.nn.functional.conv1d}, computed as a 2-D convolution of unit height: input
     * {@code [N, C, L]} (or {@code [C, L]}), weight {@code [OC, C/groups, K]}.
     */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        requireWeightRank("conv1d", weight, 3, "[out_channels, in_channels/groups, kernel_size]");
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException("conv1d: expected a 2-D (unbatched) or 3-D (batched) input [N, C, L], got " + input.shape());
        }
        checkGroups("conv1d", input, input.size(-2), weight, groups);
        boolean unbatched = input.dim() == 2;
        try (TensorScope scope = Tensors.scope()) {
            Tensor x = (unbatched ? input.unsqueeze(0) : input).unsqueeze(2);
            Tensor w = weight.unsqueeze(2);
            Tensor out = NeuralOps.conv2d(x, w, bias, new Conv2dParams(1, stride, 0, padding, 1, dilation, groups)).squeeze(2);
            return scope.keep(unbatched ? out.squeeze(0) : out);
        }
    }

    /** {@code torch.nn.functional.conv1d} with the padding given by name, as {@link #conv2d(Tensor, Tensor, Tensor, int[], String, int[], int)}. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, String padding, int dilation, int groups) {
        requireWeightRank("conv1d", weight, 3, "[out_channels, in_channels/groups, kernel_size]");
        ConvPadding p = ConvPadding.of("conv1d", padding, new int[] {stride}, new long[] {weight.size(2)}, new int[] {dilation});
        try (TensorScope scope = Tensors.scope()) {
            return scope.keep(conv1d(p.padEnds(input), weight, bias, stride, p.before()[0], dilation, groups));
        }
    }

    private static void requireWeightRank(String op, Tensor weight, int rank, String layout) {
        if (weight.dim() != rank) {
            throw new IllegalArgumentException(op + ": weight must be " + layout + ", got " + weight.shape());
        }
    }

    private static void checkGroups(String op, Tensor input, long channels, Tensor weight, int groups) {
        if (groups < 1) {
            throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
        }
        if (weight.size(0) % groups != 0) {
            throw new IllegalArgumentException(op + ": out_channels " + weight.size(0) + " of weight " + weight.shape()
                    + " must be divisible by groups=" + groups);
        }
        if (channels != weight.size(1) * groups) {
            throw new IllegalArgumentException(op + ": input " + input.shape() + " has " + channels + " channels, but weight " + weight.shape()
                    + " with groups=" + groups + " expects " + weight.size(1) * groups);
        }
    }

    // ---- pooling ------------------------------------------------------------------------------

    /**
     * {@code torch.nn.functional.max_pool2d}: input {@code [N, C, H, W]} or {@code [C, H, W]}; a null
     * stride means the kernel size, as in PyTorch.
     */
    public static Tensor maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        Pool2dParams params = poolParams("maxPool2d", input, kernelSize, stride, padding, dilation, ceilMode, true);
        boolean unbatched = input.dim() == 3;
        try (TensorScope scope = Tensors.scope()) {
            Tensor x = unbatched ? input.unsqueeze(0) : input;
            Tensor out = NeuralOps.maxPool2d(x, params).values();
            return scope.keep(unbatched ? out.squeeze(0) : out);
        }
    }

    public static Tensor maxPool2d(Tensor input, int kernelSize) {
        return maxPool2d(input, new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false);
    }

    public static Tensor maxPool2d(Tensor input, int kernelSize, int stride, int padding) {
        return maxPool2d(input, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {1}, false);
    }

    /** {@code torch.nn.functional.avg_pool2d}; a null stride means the kernel size. */
    public static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        Pool2dParams params = poolParams("avgPool2d", input, kernelSize, stride, padding, new int[] {1}, ceilMode, countIncludePad);
        boolean unbatched = input.dim() == 3;
        try (TensorScope scope = Tensors.scope()) {
            Tensor x = unbatched ? input.unsqueeze(0) : input;
            Tensor out = NeuralOps.avgPool2d(x, params);
            return scope.keep(unbatched ? out.squeeze(0) : out);
        }
    }

    public static Tensor avgPool2d(Tensor input, int kernelSize) {
        return avgPool2d(input, new int[] {kernelSize}, null, new int[] {0}, false, true);
    }

    public static Tensor avgPool2d(Tensor input, int kernelSize, int stride, int padding) {
        return avgPool2d(input, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, false, true);
    }

    private static Pool2dParams poolParams(String op, Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                           boolean ceilMode, boolean countIncludePad) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected a 3-D (unbatched) or 4-D (batched) input [N, C, H, W], got " + input.shape());
        }
        int[] k = pair(op, "kernel_size", kernelSize);
        int[] s = stride == null || stride.length == 0 ? k : pair(op, "stride", stride);
        int[] p = pair(op, "padding", padding);
        int[] d = pair(op, "dilation", dilation);
        for (int i = 0; i < 2; i++) {
            if (k[i] < 1 || s[i] < 1 || d[i] < 1 || p[i] < 0 || 2 * p[i] > k[i]) {
                throw new IllegalArgumentException(op + ": kernel_size, stride and dilation must be positive and padding between 0 and "
                        + "half the kernel size, got kernel_size=" + Repr.tuple(k) + ", stride=" + Repr.tuple(s) + ", padding="
                        + Repr.tuple(p) + ", dilation=" + Repr.tuple(d) + " for input " + input.shape());
            }
        }
        return new Pool2dParams(k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], ceilMode, countIncludePad);
    }

    /**
     * {@code torch.nn.functional.adaptive_avg_pool2d}: output cell {@code (i, j)} averages input rows
     * {@code floor(i*H/OH) .. ceil((i+1)*H/OH)-1} and the like columns, as PyTorch. Computed as
     * {@code A_h @ input @ A_w^T} with averaging matrices, since the windows are separable.
     */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outputH, int outputW) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: expected a 3-D (unbatched) or 4-D (batched) input [N, C, H, W], got "
                    + input.shape());
        }
        if (outputH < 1 || outputW < 1) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: output size must be positive, got (" + outputH + ", " + outputW + ")");
        }
        // the averaging matrices would be cast to the input's dtype, and their fractions truncated to 0
        requireFloatingPoint("adaptiveAvgPool2d", input);
        if (input.size(-1) == 0 || input.size(-2) == 0) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: input " + input.shape() + " has an empty spatial dimension");
        }
        try (TensorScope scope = Tensors.scope()) {
            Tensor rows = averaging(outputH, input.size(-2), input.dtype(), input.device());
            Tensor cols = averaging(outputW, input.size(-1), input.dtype(), input.device()).t();
            return scope.keep(rows.matmul(input).matmul(cols));
        }
    }

    public static Tensor adaptiveAvgPool2d(Tensor input, int outputSize) {
        return adaptiveAvgPool2d(input, outputSize, outputSize);
    }

    /** The [out, in] matrix whose row i averages PyTorch's adaptive window i. */
    private static Tensor averaging(long out, long in, DType dtype, Device device) {
        double[] m = new double[Math.toIntExact(out * in)];
        for (long i = 0; i < out; i++) {
            long start = Math.floorDiv(i * in, out);
            long end = Math.ceilDiv((i + 1) * in, out);
            for (long j = start; j < end; j++) {
                m[Math.toIntExact(i * in + j)] = 1.0 / (end - start);
            }
        }
        return Tensors.of(m, out, in).to(dtype).to(device);
    }

    // ---- activations --------------------------------------------------------------------------
    // As in torch 1.13: relu keeps an integer dtype, sigmoid and tanh promote integers and bools to float32,
    // and the others refuse them.

    public static Tensor relu(Tensor input) {
        return input.relu();
    }

    /** {@code x} where {@code x > 0}, else {@code negativeSlope * x}. */
    public static Tensor leakyRelu(Tensor input, double negativeSlope) {
        requireFloatingPoint("leakyRelu", input);
        try (TensorScope scope = Tensors.scope()) {
            Tensor positive = input.gt(0.0);
            Tensor scaled = input.mul(negativeSlope);
            return scope.keep(Tensors.where(positive, input, scaled));
        }
    }

    /** With PyTorch's default slope 0.01. */
    public static Tensor leakyRelu(Tensor input) {
        return leakyRelu(input, 0.01);
    }

    /** GELU with the exact normal CDF: {@code x * Φ(x)}. */
    public static Tensor gelu(Tensor input) {
        return gelu(input, "none");
    }

    /** GELU with PyTorch's {@code approximate}: {@code "none"} (exact) or {@code "tanh"}. */
    public static Tensor gelu(Tensor input, String approximate) {
        requireFloatingPoint("gelu", input);
        return switch (approximate) {
            case "none" -> input.gelu();
            case "tanh" -> input.geluTanh();
            default -> throw new IllegalArgumentException("gelu: approximate must be 'none' or 'tanh', got '" + approximate + "'");
        };
    }

    /** SiLU (swish): {@code x * sigmoid(x)}. */
    public static Tensor silu(Tensor input) {
        requireFloatingPoint("silu", input);
        try (TensorScope scope = Tensors.scope()) {
            return scope.keep(input.mul(input.sigmoid()));
        }
    }

    public static Tensor sigmoid(Tensor input) {
        return input.sigmoid();
    }

    public static Tensor tanh(Tensor input) {
        return input.tanh();
    }

    /**
     * {@code log(sigmoid(x))}, stable for any x: {@code min(x, 0) - log1p(exp(-|x|))}, with
     * {@code min(x, 0)} written {@code (x - |x|) / 2} so that the gradient at 0 is exactly 1/2, and
     * taken as 0 for positive x, where {@code x - |x|} would be NaN at +inf.
     */
    public static Tensor logSigmoid(Tensor input) {
        requireFloatingPoint("logSigmoid", input);
        try (TensorScope scope = Tensors.scope()) {
            Tensor abs = input.abs();
            Tensor negativePart = Tensors.where(input.gt(0.0), 0.0, input.sub(abs).mul(0.5));
            Tensor softplus = abs.neg().exp().log1p();
            return scope.keep(negativePart.sub(softplus));
        }
    }

    public static Tensor softmax(Tensor input, int dim) {
        requireFloatingPoint("softmax", input);
        return input.softmax(dim);
    }

    public static Tensor logSoftmax(Tensor input, int dim) {
        requireFloatingPoint("logSoftmax", input);
        return input.logSoftmax(dim);
    }

    // ---- dropout ------------------------------------------------------------------------------

    /**
     * Zeroes each element with probability {@code p} and scales the others by {@code 1/(1-p)} when
     * {@code training}; a new handle to the input otherwise. Draws from {@code generator}.
     */
    public static Tensor dropout(Tensor input, double p, boolean training, Generator generator) {
        checkProbability("dropout", p);
        if (!training || p == 0) {
            return alias(input);
        }
        requireFloatingPoint("dropout", input);
        if (p == 1) {
            return input.mul(0.0);
        }
        try (TensorScope scope = Tensors.scope()) {
            Tensor draws = Tensors.rand(input.shape(), input.dtype(), input.device(), generator);
            Tensor kept = draws.lt(1 - p);
            Tensor scale = kept.to(input.dtype()).mul(1 / (1 - p));
            return scope.keep(input.mul(scale));
        }
    }

    /** Dropout drawing from the default generator (reseeded by {@link Tensors#manualSeed}). */
    public static Tensor dropout(Tensor input, double p, boolean training) {
        return dropout(input, p, training, Generator.defaultGenerator());
    }

    static void checkProbability(String op, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(op + " probability has to be between 0 and 1, but got " + p);
        }
    }

    // ---- normalisation ------------------------------------------------------------------------

    /**
     * {@code torch.nn.functional.batch_norm} over the channels of dimension 1 of an input
     * {@code [N, C, ...]}. In training, the batch's mean and biased variance normalise the input, and
     * the running statistics (when given) are updated in place with {@code momentum}, the variance
     * unbiased ({@code n/(n-1)}); otherwise the running statistics normalise it. Weight and bias
     * ({@code [C]}) may be null.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        if (input.dim() < 2) {
            throw new IllegalArgumentException("batchNorm: expected an input [N, C, ...] of rank 2 or more, got " + input.shape());
        }
        long c = input.size(1);
        checkPerChannel("running_mean", runningMean, c, input);
        checkPerChannel("running_var", runningVar, c, input);
        checkPerChannel("weight", weight, c, input);
        checkPerChannel("bias", bias, c, input);
        int[] dims = new int[input.dim() - 1];
        long[] view = new long[input.dim()];
        Arrays.fill(view, 1);
        view[1] = c;
        for (int d = 0, j = 0; d < input.dim(); d++) {
            if (d != 1) {
                dims[j++] = d;
            }
        }
        long n = input.numel() / Math.max(c, 1);
        try (TensorScope scope = Tensors.scope()) {
            Tensor mean;
            Tensor var;
            if (training) {
                checkBatchSize(input);
                mean = input.mean(dims, true);
                var = input.var(dims, true, 0);
                if (runningMean != null) {
                    try (GradMode.Scope off = GradMode.noGrad()) {
                        runningMean.mul_(1 - momentum).add_(mean.reshape(c).mul(momentum));
                    }
                }
                if (runningVar != null) {
                    try (GradMode.Scope off = GradMode.noGrad()) {
                        runningVar.mul_(1 - momentum).add_(var.reshape(c).mul(momentum * n / (n - 1)));
                    }
                }
            } else {
                if (runningMean == null || runningVar == null) {
                    throw new IllegalArgumentException("batchNorm: evaluation (training=false) needs running_mean and running_var");
                }
                mean = runningMean.reshape(view);
                var = runningVar.reshape(view);
            }
            Tensor out = input.sub(mean).mul(var.add(eps).rsqrt());
            if (weight != null) {
                out = out.mul(weight.reshape(view));
            }
            if (bias != null) {
                out = out.add(bias.reshape(view));
            }
            return scope.keep(out);
        }
    }

    /** Batch statistics need more than one value per channel, as PyTorch's {@code _verify_batch_size}. */
    private static void checkBatchSize(Tensor input) {
        if (input.numel() / Math.max(input.size(1), 1) <= 1) {
            throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training, got input "
                    + input.shape());
        }
    }

    private static void checkPerChannel(String what, Tensor t, long channels, Tensor input) {
        if (t != null && (t.dim() != 1 || t.size(0) != channels)) {
            throw new IllegalArgumentException("batchNorm: " + what + " of shape " + t.shape() + " does not match the " + channels
                    + " channels of input " + input.shape());
        }
        checkSameDType("batchNorm", what, t, input);
    }

    /** As PyTorch, a normalisation does not mix dtypes (where promoting would hide a module left in another dtype). */
    private static void checkSameDType(String op, String what, Tensor t, Tensor input) {
        if (t != null && t.dtype() != input.dtype()) {
            throw new IllegalArgumentException(op + ": input " + input.dtype() + " " + input.shape() + " and " + what + " "
                    + t.dtype() + " must have the same dtype; convert the module with to(DType." + input.dtype().name()
                    + ") or the input with to(DType." + t.dtype().name() + ")");
        }
    }

    /**
     * {@code torch.nn.functional.layer_norm}: normalises over the last dimensions, which must equal
     * {@code normalizedShape}, with the biased variance; weight and bias (of that shape) may be null.
     */
    public static Tensor layerNorm(Tensor input, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length;
        if (k == 0) {
            throw new IllegalArgumentException("layerNorm: normalized_shape must have at least one dimension");
        }
        long[] dims = input.shape().toArray();
        if (dims.length < k || !Arrays.equals(Arrays.copyOfRange(dims, dims.length - k, dims.length), normalizedShape)) {
            throw new IllegalArgumentException("layerNorm: input " + input.shape() + " does not end in the normalized shape "
                    + Arrays.toString(normalizedShape));
        }
        for (Tensor t : new Tensor[] {weight, bias}) {
            if (t != null && !Arrays.equals(t.shape().toArray(), normalizedShape)) {
                throw new IllegalArgumentException("layerNorm: weight and bias must have the normalized shape "
                        + Arrays.toString(normalizedShape) + ", got " + t.shape());
            }
        }
        checkSameDType("layerNorm", "weight", weight, input);
        checkSameDType("layerNorm", "bias", bias, input);
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) {
            axes[i] = dims.length - k + i;
        }
        try (TensorScope scope = Tensors.scope()) {
            Tensor mean = input.mean(axes, true);
            Tensor var = input.var(axes, true, 0);
            Tensor out = input.sub(mean).mul(var.add(eps).rsqrt());
            if (weight != null) {
                out = out.mul(weight);
            }
            if (bias != null) {
                out = out.add(bias);
            }
            return scope.keep(out);
        }
    }

    // ---- embedding ----------------------------------------------------------------------------

    /** The rows of {@code weight} ({@code [num, dim]}) at the int64 or int32 {@code indices}: shape {@code indices.shape + [dim]}. */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        return embedding(indices, weight, -1, false);
    }

    /**
     * As {@link #embedding(Tensor, Tensor)}, with a padding index (negative counts from the end) whose
     * row receives no gradient, as PyTorch's {@code padding_idx}.
     */
    public static Tensor embedding(Tensor indices, Tensor weight, long paddingIdx) {
        return embedding(indices, weight, paddingIdx, true);
    }

    private static Tensor embedding(Tensor indices, Tensor weight, long paddingIdx, boolean padded) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("embedding: weight must be [num_embeddings, embedding_dim], got " + weight.shape());
        }
        if (indices.dtype() != DType.INT64 && indices.dtype() != DType.INT32) {
            throw new IllegalArgumentException("embedding: indices must be int64 or int32, not " + indices.dtype());
        }
        long rows = weight.size(0);
        long pad = -1;
        if (padded) {
            pad = paddingIdx < 0 ? paddingIdx + rows : paddingIdx;
            if (pad < 0 || pad >= rows) {
                throw new IllegalArgumentException("embedding: padding_idx " + paddingIdx + " must be within num_embeddings " + rows);
            }
        }
        for (long index : indices.toLongArray()) {
            if (index < 0 || index >= rows) {
                throw new IllegalArgumentException("embedding: index " + index + " is out of range for " + rows
                        + " embeddings (weight " + weight.shape() + ")");
            }
        }
        long[] outShape = Arrays.copyOf(indices.shape().toArray(), indices.dim() + 1);
        outShape[indices.dim()] = weight.size(1);
        try (TensorScope scope = Tensors.scope()) {
            Tensor flat = indices.reshape(-1);
            Tensor picked = weight.indexSelect(0, flat);
            if (pad >= 0) {
                Tensor isPad = flat.eq(pad).unsqueeze(1);
                picked = Tensors.where(isPad, picked.detach(), picked);
            }
            return scope.keep(picked.reshape(outShape));
        }
    }

    // ---- losses -------------------------------------------------------------------------------

    public static Tensor mseLoss(Tensor input, Tensor target) {
        return mseLoss(input, target, Reduction.MEAN);
    }

    /** {@code (input - target)^2}, reduced. Input and target must have the same shape. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        requireSameShape("mseLoss", input, target);
        try (TensorScope scope = Tensors.scope()) {
            Tensor d = input.sub(target);
            return scope.keep(reduce(d.mul(d), reduction));
        }
    }

    public static Tensor l1Loss(Tensor input, Tensor target) {
        return l1Loss(input, target, Reduction.MEAN);
    }

    /** {@code |input - target|}, reduced. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        requireSameShape("l1Loss", input, target);
        try (TensorScope scope = Tensors.scope()) {
            return scope.keep(reduce(input.sub(target).abs(), reduction));
        }
    }

    public static Tensor smoothL1Loss(Tensor input, Tensor target) {
        return smoothL1Loss(input, target, Reduction.MEAN, 1.0);
    }

    /** {@code 0.5 d^2 / beta} where {@code |d| < beta}, else {@code |d| - 0.5 beta}; beta 0 is the L1 loss. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("smoothL1Loss: beta must be non-negative, got " + beta);
        }
        if (beta == 0) {
            return l1Loss(input, target, reduction);
        }
        requireSameShape("smoothL1Loss", input, target);
        try (TensorScope scope = Tensors.scope()) {
            Tensor d = input.sub(target);
            Tensor ad = d.abs();
            Tensor quadratic = d.mul(d).mul(0.5 / beta);
            Tensor linear = ad.sub(0.5 * beta);
            return scope.keep(reduce(Tensors.where(ad.lt(beta), quadratic, linear), reduction));
        }
    }

    public static Tensor huberLoss(Tensor input, Tensor target) {
        return huberLoss(input, target, Reduction.MEAN, 1.0);
    }

    /** {@code 0.5 d^2} where {@code |d| < delta}, else {@code delta (|d| - 0.5 delta)}. */
    public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, double delta) {
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huberLoss: delta must be positive, got " + delta);
        }
        requireSameShape("huberLoss", input, target);
        try (TensorScope scope = Tensors.scope()) {
            Tensor d = input.sub(target);
            Tensor ad = d.abs();
            Tensor quadratic = d.mul(d).mul(0.5);
            Tensor linear = ad.sub(0.5 * delta).mul(delta);
            return scope.keep(reduce(Tensors.where(ad.lt(delta), quadratic, linear), reduction));
        }
    }

    public static Tensor nllLoss(Tensor input, Tensor target) {
        return nllLoss(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    /**
     * The negative log-likelihood loss, as {@code torch.nn.functional.nll_loss}: input log-probabilities
     * {@code [N, C]} or {@code [N, C, d1, ...]} (or {@code [C]}), target class indices {@code [N]} or
     * {@code [N, d1, ...]} (or a scalar). Element loss {@code -weight[t] * input[n, t]}, 0 where the
     * target is {@code ignoreIndex}; the mean divides by the sum of the weights of the non-ignored targets.
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        if (input.dim() == 1) {
            checkClassTarget("nllLoss", input, target);
            try (TensorScope scope = Tensors.scope()) {
                Tensor out = nllLoss(input.unsqueeze(0), target.unsqueeze(0), weight, ignoreIndex, reduction);
                return scope.keep(reduction == Reduction.NONE ? out.squeeze(0) : out);
            }
        }
        checkClassTarget("nllLoss", input, target);
        checkClassWeight("nllLoss", input, weight);
        boolean anyIgnored = checkTargetRange("nllLoss", input, target, ignoreIndex);
        try (TensorScope scope = Tensors.scope()) {
            if (!anyIgnored && weight == null) {
                // Every element counts with weight 1: the picked log-probabilities alone (a third of the ops,
                // forward and backward, of the general form below, which gives the same values).
                Tensor picked = input.gather(1, target.to(DType.INT64).unsqueeze(1)).squeeze(1);
                return scope.keep(switch (reduction) {
                    case NONE -> picked.neg();
                    case SUM -> picked.sum().neg();
                    case MEAN -> picked.sum().div((double) picked.numel()).neg();
                });
            }
            Tensor ignored = target.eq(ignoreIndex);
            Tensor safe = target.to(DType.INT64).maskedFill(ignored, 0);
            Tensor picked = input.gather(1, safe.unsqueeze(1)).squeeze(1);
            Tensor w = targetWeights(safe, ignored, weight, input.dtype());
            Tensor loss = picked.mul(w).neg();
            Tensor out = switch (reduction) {
                case NONE -> loss;
                case SUM -> loss.sum();
                case MEAN -> weightedMean(loss.sum(), w.sum());
            };
            return scope.keep(out);
        }
    }

    /**
     * {@code sum / total}, the mean over the targets' weights. When they sum to 0 (every target ignored),
     * the loss is NaN and its gradient 0, both as in PyTorch, whose backward does not divide by the total;
     * a plain division would make every gradient upstream NaN.
     */
    private static Tensor weightedMean(Tensor sum, Tensor total) {
        Tensor none = total.eq(0);
        return sum.div(total.maskedFill(none, 1)).maskedFill(none, Double.NaN);
    }

    /** {@code weight[target]} (1 without weights) per element, 0 where ignored, in the input's dtype. */
    private static Tensor targetWeights(Tensor safeTarget, Tensor ignored, Tensor weight, DType dtype) {
        try (TensorScope scope = Tensors.scope()) {
            Tensor w = weight == null
                    ? Tensors.ones(safeTarget.shape(), dtype, safeTarget.device())
                    : weight.to(dtype).indexSelect(0, safeTarget.reshape(-1)).reshape(safeTarget.shape().toArray());
            return scope.keep(w.maskedFill(ignored, 0));
        }
    }

    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0);
    }

    /**
     * The cross-entropy of logits, as {@code torch.nn.functional.cross_entropy}. {@code target} holds
     * either class indices (integral, shaped as the input without its class dimension 1) or class
     * probabilities (floating-point, shaped as the input). Label smoothing {@code eps} mixes the
     * target with the uniform distribution exactly as PyTorch: for indices,
     * {@code (1-eps) * nll + eps/C * smooth} where {@code smooth = -sum_c weight[c] log p_c} per element
     * (0 where ignored; the mean divides by the same weight sum as nll); for probabilities, the target
     * becomes {@code target*(1-eps) + eps/C}, and the mean divides by the number of elements per class.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction,
                                      double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: label_smoothing must be between 0.0 and 1.0, got " + labelSmoothing);
        }
        if (input.dim() == 0) {
            throw new IllegalArgumentException("crossEntropy: expected an input [N, C, ...] or [C] of logits, got a scalar");
        }
        requireFloatingPoint("crossEntropy", input);
        if (input.dim() == 1) {
            try (TensorScope scope = Tensors.scope()) {
                Tensor out = crossEntropy(input.unsqueeze(0), target.unsqueeze(0), weight, ignoreIndex, reduction, labelSmoothing);
                return scope.keep(reduction == Reduction.NONE ? out.squeeze(0) : out);
            }
        }
        checkClassWeight("crossEntropy", input, weight);
        long classes = input.size(1);
        long[] classShape = new long[input.dim()];
        Arrays.fill(classShape, 1);
        classShape[1] = classes;
        if (target.dtype().isFloatingPoint()) {
            if (!target.shape().equals(input.shape())) {
                throw new IllegalArgumentException("crossEntropy: class-probability target " + target.shape()
                        + " must have the input's shape " + input.shape());
            }
            if (ignoreIndex >= 0) {
                throw new IllegalArgumentException("crossEntropy: ignore_index is not supported for class-probability targets (got "
                        + ignoreIndex + "); pass a negative ignore_index such as the default -100");
            }
            try (TensorScope scope = Tensors.scope()) {
                Tensor logp = input.logSoftmax(1);
                Tensor t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target;
                Tensor product = logp.mul(t);
                if (weight != null) {
                    product = product.mul(weight.to(input.dtype()).reshape(classShape));
                }
                Tensor out = switch (reduction) {
                    case NONE -> product.sum(1, false).neg();
                    case SUM -> product.sum().neg();
                    case MEAN -> product.sum().neg().div((double) (input.numel() / classes));
                };
                return scope.keep(out);
            }
        }
        checkClassTarget("crossEntropy", input, target);
        if (input.dim() == 2 && weight == null && labelSmoothing == 0 && reduction != Reduction.NONE
                && !checkTargetRange("crossEntropy", input, target, ignoreIndex)) {
            // Every row counts with weight 1: the fused op, whose gradient is one exp and scale of its kept log-softmax.
            return NeuralOps.crossEntropy(input, target, reduction == Reduction.MEAN ? 1.0 / input.size(0) : 1.0);
        }
        try (TensorScope scope = Tensors.scope()) {
            Tensor logp = input.logSoftmax(1);
            Tensor nll = nllLoss(logp, target, weight, ignoreIndex, reduction);
            if (labelSmoothing == 0) {
                return scope.keep(nll);
            }
            Tensor weighted = weight == null ? logp : logp.mul(weight.to(input.dtype()).reshape(classShape));
            Tensor ignored = target.eq(ignoreIndex);
            Tensor smooth = weighted.sum(1, false).neg().maskedFill(ignored, 0);
            Tensor reduced = switch (reduction) {
                case NONE -> smooth;
                case SUM -> smooth.sum();
                case MEAN -> weightedMean(smooth.sum(),
                        targetWeights(target.to(DType.INT64).maskedFill(ignored, 0), ignored, weight, input.dtype()).sum());
            };
            return scope.keep(nll.mul(1 - labelSmoothing).add(reduced.mul(labelSmoothing / classes)));
        }
    }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return binaryCrossEntropy(input, target, null, Reduction.MEAN);
    }

    /** torch 1.13's {@code EPSILON} of the BCE gradient, a float: {@code constexpr float EPSILON = 1e-12}. */
    private static final double BCE_EPSILON = 1e-12f;

    /**
     * {@code -weight * (t log(x) + (1-t) log(1-x))} for probabilities x in [0, 1], each log clamped at
     * -100 as PyTorch does (so x = 0 or 1 gives a finite loss); weight (broadcast to the input) may be null.
     * The gradient in x is PyTorch's {@code (x - t) / max(x (1 - x), 1e-12)} times weight, finite and
     * nonzero where the loss is clamped.
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        requireSameShape("binaryCrossEntropy", input, target);
        try (TensorScope scope = Tensors.scope()) {
            long outside = input.ge(0.0).logicalAnd(input.le(1.0)).logicalNot().sum().itemLong();
            if (outside > 0) {
                throw new IllegalArgumentException("binaryCrossEntropy: all elements of input should be between 0 and 1; input "
                        + input.shape() + " has " + outside + " outside [0, 1] or NaN");
            }
            Tensor x = input.detach();
            Tensor oneMinusT = target.neg().add(1.0);
            Tensor loss = target.mul(x.log().clampMin(-100)).add(oneMinusT.mul(x.neg().add(1.0).log().clampMin(-100))).neg();
            // The value comes from x detached; x's gradient from the potential's difference, which is 0 in value.
            // Its 1e12-sized values overflow float16, so 16-bit inputs take it in float32.
            boolean narrow = !input.dtype().isComputeType();
            Tensor wideX = narrow ? input.to(DType.FLOAT32) : input;
            Tensor wideT = narrow ? target.to(DType.FLOAT32) : target;
            Tensor gradient = bceGradientPotential(wideX, wideT).sub(bceGradientPotential(wideX.detach(), wideT));
            loss = loss.add(gradient.to(loss.dtype()));
            if (weight != null) {
                loss = loss.mul(weight);
            }
            return scope.keep(reduce(loss, reduction));
        }
    }

    /**
     * A function of x whose derivative is PyTorch's BCE gradient {@code (x - t) / max(x (1 - x), eps)}: the
     * unclamped loss where {@code x (1 - x) >= eps}, a parabola elsewhere (the logs there taken of 1/2, so
     * that no infinity reaches the gradient).
     */
    private static Tensor bceGradientPotential(Tensor x, Tensor target) {
        Tensor inside = x.neg().add(1.0).mul(x).ge(BCE_EPSILON);
        Tensor safe = Tensors.where(inside, x, 0.5);
        Tensor loss = target.mul(safe.log()).add(target.neg().add(1.0).mul(safe.neg().add(1.0).log())).neg();
        Tensor parabola = x.mul(x).mul(0.5).sub(target.mul(x)).div(BCE_EPSILON);
        return Tensors.where(inside, loss, parabola);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, null, Reduction.MEAN);
    }

    /**
     * {@code (1-t) x - (1 + (posWeight-1) t) logSigmoid(x)}, times weight, in PyTorch's stable
     * log-sum-exp form; weight and posWeight (broadcast; posWeight along the classes of the last
     * dimension) may be null.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight, Reduction reduction) {
        requireSameShape("binaryCrossEntropyWithLogits", input, target);
        try (TensorScope scope = Tensors.scope()) {
            Tensor logSig = logSigmoid(input);
            if (posWeight != null) {
                Tensor logWeight = posWeight.sub(1.0).mul(target).add(1.0);
                logSig = logSig.mul(logWeight);
            }
            Tensor loss = target.neg().add(1.0).mul(input).sub(logSig);
            if (weight != null) {
                loss = loss.mul(weight);
            }
            return scope.keep(reduce(loss, reduction));
        }
    }

    // ---- shared checks ------------------------------------------------------------------------

    private static Tensor reduce(Tensor loss, Reduction reduction) {
        return switch (reduction) {
            case NONE -> loss;
            case MEAN -> loss.mean();
            case SUM -> loss.sum();
        };
    }

    private static void requireFloatingPoint(String op, Tensor input) {
        if (!input.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a floating-point input (as PyTorch), got " + input.dtype() + " "
                    + input.shape() + "; convert it with to(DType.FLOAT32) first");
        }
    }

    private static void requireSameShape(String op, Tensor input, Tensor target) {
        if (!input.shape().equals(target.shape())) {
            throw new IllegalArgumentException(op + ": input " + input.shape() + " and target " + target.shape()
                    + " must have the same shape");
        }
        requireFloatingPoint(op, input);
    }

    /** Input [N, C, d...] (or [C]) and integral target [N, d...] (or []). */
    private static void checkClassTarget(String op, Tensor input, Tensor target) {
        if (input.dim() == 0) {
            throw new IllegalArgumentException(op + ": expected an input [N, C, ...] or [C], got a scalar");
        }
        if (target.dtype().isFloatingPoint() || target.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(op + ": expected a target of class indices (int64 or int32), got " + target.dtype());
        }
        long[] dims = input.shape().toArray();
        long[] expected = new long[dims.length - 1];
        for (int d = 0, j = 0; d < dims.length; d++) {
            if (d != (dims.length == 1 ? 0 : 1)) {
                expected[j++] = dims[d];
            }
        }
        if (!Arrays.equals(target.shape().toArray(), expected)) {
            throw new IllegalArgumentException(op + ": target " + target.shape() + " must have the input's shape " + input.shape()
                    + " without its class dimension, " + Arrays.toString(expected));
        }
    }

    private static void checkClassWeight(String op, Tensor input, Tensor weight) {
        long classes = input.size(input.dim() == 1 ? 0 : 1);
        if (weight != null && (weight.dim() != 1 || weight.size(0) != classes)) {
            throw new IllegalArgumentException(op + ": weight " + weight.shape() + " must have one value per class, ["
                    + classes + "], for input " + input.shape());
        }
    }

    /** Checks that every target is a class or {@code ignoreIndex}; returns whether any is {@code ignoreIndex}. */
    private static boolean checkTargetRange(String op, Tensor input, Tensor target, long ignoreIndex) {
        long classes = input.size(1);
        boolean ignored = false;
        for (long t : target.toLongArray()) {
            if (t == ignoreIndex) {
                ignored = true;
            } else if (t < 0 || t >= classes) {
                throw new IllegalArgumentException(op + ": target " + t + " is out of bounds for " + classes + " classes (input "
                        + input.shape() + ", ignore_index " + ignoreIndex + ")");
            }
        }
        return ignored;
    }

    /** PyTorch's {@code _pair}: one value for both spatial dimensions, or an (h, w) pair. */
    static int[] pair(String op, String what, int[] values) {
        if (values == null || values.length == 0 || values.length > 2) {
            throw new IllegalArgumentException(op + ": " + what + " must be one int or a pair, got "
                    + (values == null ? "null" : Arrays.toString(values)));
        }
        return values.length == 1 ? new int[] {values[0], values[0]} : values.clone();
    }
}
