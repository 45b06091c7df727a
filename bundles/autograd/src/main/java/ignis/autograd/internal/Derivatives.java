package ignis.autograd.internal;

import ignis.autograd.internal.Derivative.Entry;
import ignis.autograd.internal.Derivative.Saved;
import ignis.tensor.AutogradRegistry;
import ignis.tensor.DType;
import ignis.tensor.GradMode;
import ignis.tensor.NeuralOps;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.Conv2dParams;
import ignis.tensor.spi.OpCall;
import ignis.tensor.spi.Pool2dParams;
import ignis.tensor.spi.TensorOp;
import ignis.tensor.spi.UnaryOp;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * The derivative of every differentiable op, declared once, in the manner of PyTorch's
 * {@code derivatives.yaml}: each entry turns the gradient of an op's output into the gradients of its
 * inputs, with the same tensor ops the forward pass uses, so that the backward pass can itself be
 * recorded (higher-order gradients). Broadcast operands get their gradient summed back to their shape.
 */
final class Derivatives {

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double GELU_CUBIC = 0.044715;

    private static final Map<UnaryOp, Entry> UNARY = new EnumMap<>(UnaryOp.class);
    private static final Map<BinaryOp, Entry> BINARY = new EnumMap<>(BinaryOp.class);
    private static final Map<TensorOp, Entry> OTHER = new EnumMap<>(TensorOp.class);

    private Derivatives() {
    }

    static Entry entryFor(OpCall call) {
        Entry entry = switch (call.op()) {
            case UNARY -> UNARY.get((UnaryOp) call.arg(0));
            case BINARY -> BINARY.get((BinaryOp) call.arg(0));
            case CUSTOM -> ((CustomOp) call.arg(0)).entry();
            default -> OTHER.get(call.op());
        };
        if (entry == null) {
            throw new IllegalStateException("no derivative is declared for " + call.op()
                    + (call.args().isEmpty() ? "" : " " + call.args().getFirst()));
        }
        return entry;
    }

    /** An op computed outside the core with a backward of its own (custom functions). */
    interface CustomOp extends AutoCloseable {
        Entry entry();

        @Override
        void close();
    }

    // ---- elementwise, one operand: gradient = grad * f'(x), written with x or with y = f(x) ----------

    static {
        unary(UnaryOp.NEG, false, false, (s, g) -> g.neg());
        unary(UnaryOp.ABS, true, false, (s, g) -> times(g, s.input(0).sign()));
        for (UnaryOp flat : new UnaryOp[] {UnaryOp.SIGN, UnaryOp.FLOOR, UnaryOp.CEIL, UnaryOp.ROUND, UnaryOp.TRUNC}) {
            unary(flat, false, false, (s, g) -> Tensors.zerosLike(g));
        }
        // PyTorch's threshold_backward: the gradient passes where the output is positive. In one pass where the
        // backend can, unless the backward pass is recorded (createGraph), which needs it as tensor ops.
        unary(UnaryOp.RELU, false, true, (s, g) -> {
            if (!GradMode.isEnabled()) {
                return NeuralOps.reluBackward(g, s.output());
            }
            try (Tensor positive = s.output().gt(0)) {
                return Tensors.where(positive, g, 0.0);
            }
        });
        unary(UnaryOp.EXP, true, true, (s, g) -> times(g, output(s, Tensor::exp)));
        unary(UnaryOp.EXPM1, true, true, (s, g) -> {
            try (Tensor y = output(s, Tensor::expm1)) {
                return times(g, y.add(1.0));
            }
        });
        unary(UnaryOp.LOG, true, false, (s, g) -> g.div(s.input(0)));
        unary(UnaryOp.LOG1P, true, false, (s, g) -> over(g, s.input(0).add(1.0)));
        unary(UnaryOp.SQRT, true, true, (s, g) -> {
            try (Tensor y = output(s, Tensor::sqrt)) {
                return over(g, y.mul(2.0));
            }
        });
        unary(UnaryOp.RSQRT, true, true, (s, g) -> {
            try (Tensor y = output(s, Tensor::rsqrt); Tensor cube = y.pow(3.0); Tensor scaled = cube.mul(-0.5)) {
                return g.mul(scaled);
            }
        });
        unary(UnaryOp.RECIPROCAL, true, true, (s, g) -> {
            try (Tensor y = output(s, Tensor::reciprocal); Tensor square = y.mul(y); Tensor negated = square.neg()) {
                return g.mul(negated);
            }
        });
        unary(UnaryOp.SIN, true, false, (s, g) -> times(g, s.input(0).cos()));
        unary(UnaryOp.COS, true, false, (s, g) -> {
            try (Tensor sin = s.input(0).sin(); Tensor negated = sin.neg()) {
                return g.mul(negated);
            }
        });
        unary(UnaryOp.TANH, true, true, (s, g) -> {
            try (Tensor y = output(s, Tensor::tanh); Tensor square = y.mul(y); Tensor slope = square.neg(); Tensor oneMinus = slope.add(1.0)) {
                return g.mul(oneMinus);
            }
        });
        unary(UnaryOp.SIGMOID, true, true, (s, g) -> {
            try (Tensor y = output(s, Tensor::sigmoid); Tensor complement = y.neg(); Tensor oneMinus = complement.add(1.0);
                 Tensor slope = y.mul(oneMinus)) {
                return g.mul(slope);
            }
        });
        unary(UnaryOp.ERF, true, false, (s, g) -> {
            try (Tensor square = s.input(0).mul(s.input(0)); Tensor negated = square.neg(); Tensor exp = negated.exp();
                 Tensor slope = exp.mul(TWO_OVER_SQRT_PI)) {
                return g.mul(slope);
            }
        });
        // d/dx x Φ(x) = Φ(x) + x φ(x)
        unary(UnaryOp.GELU, true, false, (s, g) -> {
            Tensor x = s.input(0);
            try (Tensor scaled = x.mul(1 / Math.sqrt(2)); Tensor erf = scaled.erf(); Tensor onePlus = erf.add(1.0);
                 Tensor cdf = onePlus.mul(0.5); Tensor square = x.mul(x); Tensor half = square.mul(-0.5); Tensor exp = half.exp();
                 Tensor pdf = exp.mul(INV_SQRT_2PI); Tensor xPdf = x.mul(pdf); Tensor slope = cdf.add(xPdf)) {
                return g.mul(slope);
            }
        });
        // y = x/2 (1 + tanh u), u = k (x + c x^3): y' = (1 + tanh u)/2 + x/2 (1 - tanh^2 u) k (1 + 3 c x^2)
        unary(UnaryOp.GELU_TANH, true, false, (s, g) -> {
            Tensor x = s.input(0);
            try (Tensor square = x.mul(x); Tensor cube = square.mul(x); Tensor cubic = cube.mul(GELU_CUBIC); Tensor inner = x.add(cubic);
                 Tensor u = inner.mul(SQRT_2_OVER_PI); Tensor t = u.tanh(); Tensor onePlus = t.add(1.0); Tensor first = onePlus.mul(0.5);
                 Tensor t2 = t.mul(t); Tensor negT2 = t2.neg(); Tensor sech2 = negT2.add(1.0); Tensor dInner = square.mul(3 * GELU_CUBIC);
                 Tensor dInnerPlus = dInner.add(1.0); Tensor du = dInnerPlus.mul(SQRT_2_OVER_PI); Tensor halfX = x.mul(0.5);
                 Tensor a = halfX.mul(sech2); Tensor second = a.mul(du); Tensor slope = first.add(second)) {
                return g.mul(slope);
            }
        });
    }

    // ---- elementwise, two operands; broadcasting is undone by summing each gradient to its input's shape ----

    static {
        binary(BinaryOp.ADD, false, (s, g) -> grads(s, g, Tensor::retain, Tensor::retain));
        binary(BinaryOp.SUB, false, (s, g) -> grads(s, g, Tensor::retain, Tensor::neg));
        binary(BinaryOp.MUL, true, (s, g) -> grads(s, g, x -> x.mul(s.input(1)), x -> x.mul(s.input(0))));
        binary(BinaryOp.DIV, true, (s, g) -> grads(s, g, x -> x.div(s.input(1)), x -> {
            try (Tensor quotient = s.input(0).div(s.input(1)); Tensor ratio = quotient.div(s.input(1)); Tensor negated = x.neg()) {
                return negated.mul(ratio);
            }
        }));
        // PyTorch: the base's gradient is 0 where the exponent is 0, the exponent's where the base is 0 and the exponent >= 0.
        binary(BinaryOp.POW, true, (s, g) -> grads(s, g, x -> {
            Tensor base = s.input(0);
            Tensor exponent = s.input(1);
            try (Tensor lowered = exponent.sub(1.0); Tensor power = base.pow(lowered); Tensor slope = exponent.mul(power);
                 Tensor zeroExponent = exponent.eq(0.0); Tensor masked = slope.maskedFill(zeroExponent, 0.0)) {
                return x.mul(masked);
            }
        }, x -> {
            Tensor base = s.input(0);
            Tensor exponent = s.input(1);
            try (Tensor power = base.pow(exponent); Tensor log = base.log(); Tensor slope = power.mul(log);
                 Tensor zeroBase = base.eq(0.0); Tensor nonNegative = exponent.ge(0.0); Tensor both = zeroBase.logicalAnd(nonNegative);
                 Tensor masked = Tensors.where(both, 0.0, slope)) {
                return x.mul(masked);
            }
        }));
        // Ties share the gradient equally, as in PyTorch.
        binary(BinaryOp.MAXIMUM, true, (s, g) -> extremeGrads(s, g, true));
        binary(BinaryOp.MINIMUM, true, (s, g) -> extremeGrads(s, g, false));
        binary(BinaryOp.ATAN2, true, (s, g) -> {
            try (Tensor a2 = s.input(0).mul(s.input(0)); Tensor b2 = s.input(1).mul(s.input(1)); Tensor denominator = a2.add(b2)) {
                return grads(s, g, x -> {
                    try (Tensor ratio = s.input(1).div(denominator)) {
                        return x.mul(ratio);
                    }
                }, x -> {
                    try (Tensor ratio = s.input(0).div(denominator); Tensor negated = ratio.neg()) {
                        return x.mul(negated);
                    }
                });
            }
        });
        binary(BinaryOp.REMAINDER, true, (s, g) -> grads(s, g, Tensor::retain, x -> {
            try (Tensor quotient = s.input(0).floorDivide(s.input(1)); Tensor negated = quotient.neg()) {
                return x.mul(negated);
            }
        }));
        binary(BinaryOp.FLOOR_DIVIDE, false, (s, g) -> grads(s, g, Tensors::zerosLike, Tensors::zerosLike));
    }

    private static Tensor[] extremeGrads(Saved s, Tensor g, boolean max) {
        Tensor a = s.input(0);
        Tensor b = s.input(1);
        try (Tensor tie = a.eq(b); Tensor half = g.mul(0.5); Tensor shared = Tensors.where(tie, half, g);
             Tensor aLoses = max ? a.lt(b) : a.gt(b); Tensor bLoses = max ? b.lt(a) : b.gt(a)) {
            return grads(s, g, x -> shared.maskedFill(aLoses, 0.0), x -> shared.maskedFill(bLoses, 0.0));
        }
    }

    // ---- the other ops ------------------------------------------------------------------------------

    static {
        other(TensorOp.CLAMP, "ClampBackward", true, false, (s, g) -> {
            Tensor x = s.input(0);
            double min = s.arg(0);
            double max = s.arg(1);
            try (Tensor above = x.ge(min); Tensor below = x.le(max); Tensor inside = above.logicalAnd(below)) {
                return new Tensor[] {Tensors.where(inside, g, 0.0)};
            }
        });
        other(TensorOp.WHERE, "WhereBackward", false, false, (s, g) -> {
            Tensor condition = s.arg(0);
            try (Tensor forA = Tensors.where(condition, g, 0.0); Tensor forB = Tensors.where(condition, 0.0, g)) {
                return new Tensor[] {s.needsGrad(0) ? sumTo(forA, s.shapes()[0]) : null, s.needsGrad(1) ? sumTo(forB, s.shapes()[1]) : null};
            }
        });
        other(TensorOp.MASKED_FILL, "MaskedFillBackward", false, false, (s, g) -> {
            Tensor mask = s.arg(0);
            return new Tensor[] {g.maskedFill(mask, 0.0)};
        });
        other(TensorOp.SUM, "SumBackward", false, false, (s, g) -> new Tensor[] {spread(g, s.arg(0), s.arg(1), s.shapes()[0])});
        other(TensorOp.MEAN, "MeanBackward", false, false, (s, g) -> {
            int[] axes = s.arg(0);
            try (Tensor spread = spread(g, axes, s.arg(1), s.shapes()[0])) {
                return new Tensor[] {spread.div((double) count(s.shapes()[0], axes))};
            }
        });
        other(TensorOp.AMAX, "AmaxBackward", true, true, (s, g) -> new Tensor[] {extremeReductionGrad(s, g)});
        other(TensorOp.AMIN, "AminBackward", true, true, (s, g) -> new Tensor[] {extremeReductionGrad(s, g)});
        other(TensorOp.EXTREME_WITH_INDICES, "MaxBackward", false, false, (s, g) -> {
            int dim = s.arg(0);
            boolean keepDim = s.arg(1);
            Tensor indices = s.arg(2);
            Shape shape = s.shapes()[0];
            if (shape.rank() == 0) {
                return new Tensor[] {g.retain()};
            }
            try (Tensor keptGrad = keepDim ? g.retain() : g.unsqueeze(dim);
                 Tensor keptIndices = keepDim ? indices.retain() : indices.unsqueeze(dim);
                 Tensor zeros = Tensors.zeros(shape, s.dtypes()[0], s.devices()[0])) {
                return new Tensor[] {zeros.scatter(dim, keptIndices, keptGrad)};
            }
        });
        // d var / dx = 2 (x - mean) / (n - correction)
        other(TensorOp.VAR, "VarBackward", true, false, (s, g) -> {
            Tensor x = s.input(0);
            int[] axes = s.arg(0);
            double correction = s.arg(2);
            try (Tensor spread = spread(g, axes, s.arg(1), s.shapes()[0]); Tensor mean = x.mean(axes, true);
                 Tensor deviation = x.sub(mean); Tensor scaled = deviation.mul(2 / Math.max(0, count(s.shapes()[0], axes) - correction))) {
                return new Tensor[] {spread.mul(scaled)};
            }
        });
        other(TensorOp.LOGSUMEXP, "LogsumexpBackward", true, true, (s, g) -> {
            int[] axes = s.arg(0);
            boolean keepDim = s.arg(1);
            try (Tensor y = output(s, x -> logsumexp(x, axes, keepDim, s.output().shape())); Tensor spread = spread(g, axes, keepDim, s.shapes()[0]);
                 Tensor kept = keepDim ? y.retain() : unsqueezeAll(y, axes); Tensor shifted = s.input(0).sub(kept); Tensor weights = shifted.exp()) {
                return new Tensor[] {spread.mul(weights)};
            }
        });
        // The backends' softmax kernels are not recorded: a recorded backward pass is written with tensor ops.
        other(TensorOp.SOFTMAX, "SoftmaxBackward", true, true, (s, g) -> {
            int dim = s.arg(0);
            if (!recording(s)) {
                return new Tensor[] {NeuralOps.softmaxBackward(g, s.output(), dim)};
            }
            try (Tensor y = output(s, x -> x.softmax(dim)); Tensor product = g.mul(y); Tensor total = product.sum(dim, true);
                 Tensor centered = g.sub(total)) {
                return new Tensor[] {y.mul(centered)};
            }
        });
        other(TensorOp.LOG_SOFTMAX, "LogSoftmaxBackward", true, true, (s, g) -> {
            int dim = s.arg(0);
            if (!recording(s)) {
                return new Tensor[] {NeuralOps.logSoftmaxBackward(g, s.output(), dim)};
            }
            try (Tensor y = output(s, x -> x.logSoftmax(dim)); Tensor total = g.sum(dim, true); Tensor probabilities = y.exp();
                 Tensor scaled = probabilities.mul(total)) {
                return new Tensor[] {g.sub(scaled)};
            }
        });
        other(TensorOp.CROSS_ENTROPY, "CrossEntropyBackward", true, false, (s, g) -> {
            Tensor indices = s.arg(0);
            double scale = s.arg(1);
            try (Tensor factor = g.mul(scale); Tensor negated = factor.neg(); Tensor picks = negated.expand(indices.size(0), 1)) {
                if (!recording(s)) {
                    Tensor logProbabilities = s.arg(2);
                    return new Tensor[] {logProbabilities.exp().mul_(factor).scatterAdd_(1, indices, picks)};
                }
                // Recorded: the log-softmax again from the logits, linked to the graph (see output), and exp's output,
                // which its derivative reads, left as it is.
                try (Tensor logProbabilities = s.input(0).logSoftmax(1); Tensor probabilities = logProbabilities.exp()) {
                    return new Tensor[] {probabilities.mul(factor).scatterAdd_(1, indices, picks)};
                }
            }
        });
        other(TensorOp.MATMUL, "MmBackward", true, false, Derivatives::matmulGrads);
        other(TensorOp.RESHAPE, "ViewBackward", false, false, (s, g) -> new Tensor[] {g.reshape(s.shapes()[0].toArray())});
        other(TensorOp.PERMUTE, "PermuteBackward", false, false, (s, g) -> {
            int[] order = s.arg(0);
            int[] inverse = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                inverse[order[i]] = i;
            }
            return new Tensor[] {order.length == 0 ? g.retain() : g.permute(inverse)};
        });
        other(TensorOp.EXPAND, "ExpandBackward", false, false, (s, g) -> new Tensor[] {sumTo(g, s.shapes()[0])});
        other(TensorOp.SLICE, "SliceBackward", false, false, (s, g) -> {
            int dim = s.arg(0);
            long start = s.arg(1);
            long end = s.arg(2);
            long step = s.arg(3);
            if (!g.requiresGrad()) {
                return new Tensor[] {placed(s, g, zeros -> zeros.slice(dim, start, end, step))};
            }
            int d = Shape.normalizeDim(dim, s.shapes()[0].rank());
            long size = s.shapes()[0].size(d);
            long begin = Math.min(Math.max(start < 0 ? start + size : start, 0), size);
            long[] positions = new long[Math.toIntExact(g.size(d))];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = begin + i * step;
            }
            return new Tensor[] {scattered(s, g, d, positions)};
        });
        other(TensorOp.SELECT, "SelectBackward", false, false, (s, g) -> {
            int dim = s.arg(0);
            long index = s.arg(1);
            if (!g.requiresGrad()) {
                return new Tensor[] {placed(s, g, zeros -> zeros.select(dim, index))};
            }
            int d = Shape.normalizeDim(dim, s.shapes()[0].rank());
            try (Tensor kept = g.unsqueeze(d)) {
                return new Tensor[] {scattered(s, kept, d, new long[] {index < 0 ? index + s.shapes()[0].size(d) : index})};
            }
        });
        other(TensorOp.COPY, "CopyBackward", false, false, (s, g) -> {
            try (Tensor onDevice = g.to(s.devices()[0])) {
                return new Tensor[] {onDevice.to(s.dtypes()[0])};
            }
        });
        other(TensorOp.INDEX_SELECT, "IndexSelectBackward", false, false, (s, g) -> {
            int dim = s.arg(0);
            Tensor index = s.arg(1);
            Shape shape = s.shapes()[0];
            if (shape.rank() == 0) {
                return new Tensor[] {g.sum()};
            }
            int d = dim < 0 ? dim + shape.rank() : dim;
            long[] column = new long[shape.rank()];
            java.util.Arrays.fill(column, 1);
            column[d] = index.numel();
            try (Tensor longIndex = index.to(DType.INT64); Tensor shaped = longIndex.reshape(column);
                 Tensor expanded = shaped.expand(g.shape().toArray())) {
                return new Tensor[] {Tensors.zeros(shape, s.dtypes()[0], s.devices()[0]).scatterAdd_(d, expanded, g)};
            }
        });
        other(TensorOp.GATHER, "GatherBackward", false, false, (s, g) -> {
            int dim = s.arg(0);
            Tensor index = s.arg(1);
            // Into fresh zeros in place, as PyTorch's new_zeros(...).scatter_add_: the out-of-place form copied them first.
            return new Tensor[] {Tensors.zeros(s.shapes()[0], s.dtypes()[0], s.devices()[0]).scatterAdd_(dim, index, g)};
        });
        other(TensorOp.SCATTER, "ScatterBackward", false, false, (s, g) -> {
            int dim = s.arg(0);
            Tensor index = s.arg(1);
            boolean add = s.arg(2);
            Tensor forSelf = null;
            if (s.needsGrad(0)) {
                try (Tensor cleared = Tensors.zeros(index.shape(), g.dtype(), g.device())) {
                    forSelf = add ? g.retain() : g.scatter(dim, index, cleared);
                }
            }
            Tensor forSrc = null;
            if (s.needsGrad(1)) {
                try (Tensor gathered = g.gather(dim, index)) {
                    forSrc = padTo(gathered, s.shapes()[1]);
                }
            }
            return new Tensor[] {forSelf, forSrc};
        });
        other(TensorOp.MASKED_SELECT, "MaskedSelectBackward", false, false, (s, g) -> {
            Tensor mask = s.arg(0);
            Shape input = s.shapes()[0];
            Shape shape = Shape.broadcast(input, mask.shape());
            long[] positions;
            try (Tensor expanded = mask.expand(shape.toArray())) {
                boolean[] selected = expanded.toBooleanArray();
                positions = java.util.stream.IntStream.range(0, selected.length).filter(i -> selected[i]).asLongStream().toArray();
            }
            try (Tensor hostIndex = Tensors.of(positions); Tensor index = hostIndex.to(g.device());
                 Tensor flat = Tensors.zeros(Shape.of(shape.numel()), s.dtypes()[0], s.devices()[0]);
                 Tensor filled = flat.scatterAdd(0, index, g); Tensor reshaped = filled.reshape(shape.toArray())) {
                return new Tensor[] {sumTo(reshaped, input)};
            }
        });
        other(TensorOp.CAT, "CatBackward", false, false, (s, g) -> {
            int dim = s.arg(0);
            Tensor[] out = new Tensor[s.shapes().length];
            long at = 0;
            for (int i = 0; i < out.length; i++) {
                long size = s.shapes()[i].size(dim);
                if (s.needsGrad(i)) {
                    out[i] = g.narrow(dim, at, size);
                }
                at += size;
            }
            return out;
        });
        other(TensorOp.CONV2D, "ConvolutionBackward", true, false, (s, g) -> {
            Conv2dParams params = s.arg(0);
            Tensor input = s.input(0);
            Tensor weight = s.input(1);
            Tensor[] out = new Tensor[s.shapes().length];
            if (s.needsGrad(0)) {
                out[0] = convInputGrad(input.shape(), g, weight, params);
            }
            boolean biasGrad = out.length > 2 && s.needsGrad(2);
            if (s.needsGrad(1) && biasGrad && !GradMode.isEnabled()) {
                // not recorded (no createGraph): both in one pass over g where the backend can
                Tensor[] both = NeuralOps.conv2dBackwardWeightAndBias(weight.shape(), g, input, params);
                out[1] = both[0];
                out[2] = both[1];
                return out;
            }
            if (s.needsGrad(1)) {
                out[1] = convWeightGrad(weight.shape(), g, input, params);
            }
            if (biasGrad) {
                out[2] = g.sum(new int[] {0, 2, 3}, false);
            }
            return out;
        });
        other(TensorOp.MAX_POOL2D, "MaxPool2DBackward", false, false, (s, g) -> {
            Pool2dParams params = s.arg(0);
            Tensor indices = s.arg(1);
            Shape shape = s.shapes()[0];
            Tensor result;
            try (GradMode.Scope off = GradMode.noGrad()) {
                result = NeuralOps.maxPool2dBackward(g, indices, shape, params);
            }
            // linear in g: its own derivative picks the upstream gradient at the maxima (the node keeps the indices,
            // which this node releases when its graph is freed)
            return new Tensor[] {linked("MaxPool2DBackwardBackward", true, result, (t, u) -> {
                Tensor at = t.input(1);
                try (Tensor planes = u.reshape(shape.size(0), shape.size(1), shape.size(2) * shape.size(3));
                     Tensor flat = at.reshape(at.size(0), at.size(1), -1); Tensor picked = planes.gather(2, flat)) {
                    return new Tensor[] {picked.reshape(at.shape().toArray()), null};
                }
            }, g, indices)};
        });
        other(TensorOp.AVG_POOL2D, "AvgPool2DBackward", false, false, (s, g) -> {
            Pool2dParams params = s.arg(0);
            Tensor result;
            try (GradMode.Scope off = GradMode.noGrad()) {
                result = NeuralOps.avgPool2dBackward(g, s.shapes()[0], params);
            }
            // linear in g, the adjoint of average pooling: its own derivative is average pooling
            return new Tensor[] {linked("AvgPool2DBackwardBackward", false, result, (t, u) -> new Tensor[] {NeuralOps.avgPool2d(u, params)}, g)};
        });
    }

    /*
     * The gradients of conv2d, dx = Bx(g, w) and dw = Bw(g, x), are bilinear, with <Bx(g, w), u> = <g, conv(u, w)>
     * and <Bw(g, x), v> = <g, conv(x, v)>; so their own derivatives are convolutions and each other:
     * d<Bx(g, w), u>/dg = conv(u, w), d<Bx(g, w), u>/dw = Bw(g, u); d<Bw(g, x), v>/dg = conv(x, v), d<Bw(g, x), v>/dx = Bx(g, v).
     */

    private static Tensor convInputGrad(Shape inputShape, Tensor g, Tensor weight, Conv2dParams params) {
        Tensor result;
        try (GradMode.Scope off = GradMode.noGrad()) {
            result = NeuralOps.conv2dBackwardInput(inputShape, g, weight, params);
        }
        return linked("ConvolutionBackwardInputBackward", true, result, (s, u) -> new Tensor[] {
            s.needsGrad(0) ? NeuralOps.conv2d(u, s.input(1), null, params) : null,
            s.needsGrad(1) ? convWeightGrad(s.shapes()[1], s.input(0), u, params) : null}, g, weight);
    }

    private static Tensor convWeightGrad(Shape weightShape, Tensor g, Tensor input, Conv2dParams params) {
        Tensor result;
        try (GradMode.Scope off = GradMode.noGrad()) {
            result = NeuralOps.conv2dBackwardWeight(weightShape, g, input, params);
        }
        return linked("ConvolutionBackwardWeightBackward", true, result, (s, v) -> new Tensor[] {
            s.needsGrad(0) ? NeuralOps.conv2d(s.input(1), v, null, params) : null,
            s.needsGrad(1) ? convInputGrad(s.shapes()[1], s.input(0), v, params) : null}, g, input);
    }

    /**
     * A gradient computed by a kernel the backward pass cannot record (the backends' convolution and
     * pooling gradients), computed without recording: when the backward pass is itself recorded
     * (createGraph), it is linked to the graph as one node with the given derivative, so that it
     * differentiates again; otherwise it is returned as it is.
     */
    private static Tensor linked(String name, boolean savesInputs, Tensor result, Derivative derivative, Tensor... inputs) {
        Entry entry = new Entry(name, savesInputs, false, derivative);
        AutogradRegistry.record(TensorOp.CUSTOM, java.util.List.of(new CustomOp() {
            @Override
            public Entry entry() {
                return entry;
            }

            @Override
            public void close() {
            }
        }), result, inputs);
        return result;
    }

    /** logsumexp over the given axes (none for a rank-0 input), recorded, for {@link #output}. */
    private static Tensor logsumexp(Tensor x, int[] axes, boolean keepDim, Shape shape) {
        if (axes.length <= 1) {
            return x.logsumexp(axes.length == 0 ? 0 : axes[0], keepDim);
        }
        // Shifted by the maximum, held constant: the value does not depend on it.
        try (Tensor constant = x.detach(); Tensor max = constant.amax(axes, true); Tensor shifted = x.sub(max); Tensor exp = shifted.exp();
             Tensor total = exp.sum(axes, true); Tensor log = total.log(); Tensor kept = log.add(max)) {
            return kept.reshape(shape.toArray());
        }
    }

    /** The gradient of amax/amin: shared equally by the elements equal to the extreme, as in PyTorch. */
    private static Tensor extremeReductionGrad(Saved s, Tensor g) {
        int[] axes = s.arg(0);
        boolean keepDim = s.arg(1);
        Shape shape = s.shapes()[0];
        try (Tensor kept = keepDim ? s.output().retain() : unsqueezeAll(s.output(), axes);
             Tensor hits = s.input(0).eq(kept); Tensor weights = hits.to(s.dtypes()[0]); Tensor counts = weights.sum(axes, true);
             Tensor spread = spread(g, axes, keepDim, shape); Tensor shared = spread.div(counts)) {
            return shared.mul(weights);
        }
    }

    /** matmul promotes vectors to matrices, multiplies, and drops the added dimensions: so does its gradient. */
    private static Tensor[] matmulGrads(Saved s, Tensor g) {
        Tensor a = s.input(0);
        Tensor b = s.input(1);
        try (Tensor a2 = a.dim() == 1 ? a.unsqueeze(0) : a.retain();
             Tensor b2 = b.dim() == 1 ? b.unsqueeze(1) : b.retain();
             Tensor g2 = matrixGrad(g, a.dim() == 1, b.dim() == 1)) {
            Tensor forA = null;
            Tensor forB = null;
            if (s.needsGrad(0)) {
                if (b2.dim() == 2 && columnMajor(a2)) {
                    try (Tensor gt = g2.transpose(-1, -2); Tensor product = b2.matmul(gt); Tensor back = product.transpose(-1, -2)) {
                        forA = back.reshape(a.shape().toArray());
                    }
                } else {
                    try (Tensor bt = b2.transpose(-1, -2); Tensor product = g2.matmul(bt); Tensor summed = sumTo(product, a2.shape())) {
                        forA = summed.reshape(a.shape().toArray());
                    }
                }
            }
            if (s.needsGrad(1)) {
                if (a2.dim() == 2 && columnMajor(b2)) {
                    try (Tensor gt = g2.transpose(-1, -2); Tensor product = gt.matmul(a2); Tensor back = product.transpose(-1, -2)) {
                        forB = back.reshape(b.shape().toArray());
                    }
                } else {
                    try (Tensor at = a2.transpose(-1, -2); Tensor product = at.matmul(g2); Tensor summed = sumTo(product, b2.shape())) {
                        forB = summed.reshape(b.shape().toArray());
                    }
                }
            }
            return new Tensor[] {forA, forB};
        }
    }

    /**
     * Whether a matrix operand is a transposed dense matrix, such as a Linear layer's {@code weight.T}:
     * its gradient is then computed transposed, in the operand's own layout (as PyTorch's
     * {@code mm_mat2_backward}), so that the leaf behind it gets a dense gradient without a copy.
     */
    private static boolean columnMajor(Tensor m) {
        return m.dim() == 2 && m.size(0) > 1 && m.size(1) > 1 && m.stride(0) == 1 && m.stride(1) == m.size(0);
    }

    /** The output gradient with the dimensions matmul dropped for vector operands put back. */
    private static Tensor matrixGrad(Tensor g, boolean aVector, boolean bVector) {
        if (aVector && bVector) {
            return g.reshape(1, 1);
        }
        if (aVector) {
            return g.unsqueeze(-2);
        }
        return bVector ? g.unsqueeze(-1) : g.retain();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** Whether this backward pass is itself being recorded (createGraph) with gradients reaching the op's input. */
    private static boolean recording(Saved s) {
        return GradMode.isEnabled() && s.input(0).requiresGrad();
    }

    /**
     * The op's output, for a derivative written with it. The saved output is a handle taken while the op
     * was being recorded, before the output was linked to its node, so it is a constant to a recorded
     * backward pass: a second derivative through it would be lost (d/dx of {@code g * exp(x)} would miss
     * {@code g * exp(x)}). When the backward pass is recorded (createGraph), the output is therefore
     * computed again from the saved input, which is linked to the graph; otherwise the saved one serves.
     * Entries that use this save both.
     */
    private static Tensor output(Saved s, java.util.function.UnaryOperator<Tensor> forward) {
        return recording(s) ? forward.apply(s.input(0)) : s.output().retain();
    }

    /** For unary entries written as a function of one gradient. */
    private interface OneGrad {
        Tensor apply(Saved s, Tensor g);
    }

    private static void unary(UnaryOp op, boolean savesInput, boolean savesOutput, OneGrad grad) {
        UNARY.put(op, new Entry(camel(op.name()) + "Backward", savesInput, savesOutput, (s, g) -> new Tensor[] {grad.apply(s, g)}));
    }

    private static void binary(BinaryOp op, boolean savesInputs, Derivative derivative) {
        BINARY.put(op, new Entry(camel(op.name()) + "Backward", savesInputs, false, derivative));
    }

    private static void other(TensorOp op, String name, boolean savesInputs, boolean savesOutput, Derivative derivative) {
        OTHER.put(op, new Entry(name, savesInputs, savesOutput, derivative));
    }

    private static String camel(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.toLowerCase().split("_")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }

    /** The two gradients of a binary op, each computed only when needed and summed back to its input's shape. */
    private static Tensor[] grads(Saved s, Tensor g, java.util.function.UnaryOperator<Tensor> forA,
                                  java.util.function.UnaryOperator<Tensor> forB) {
        Tensor[] out = new Tensor[2];
        if (s.needsGrad(0)) {
            try (Tensor full = forA.apply(g)) {
                out[0] = sumTo(full, s.shapes()[0]);
            }
        }
        if (s.needsGrad(1)) {
            try (Tensor full = forB.apply(g)) {
                out[1] = sumTo(full, s.shapes()[1]);
            }
        }
        return out;
    }

    /** Undoes broadcasting: sums the leading dimensions g has in excess and the dimensions that were 1. */
    static Tensor sumTo(Tensor g, Shape shape) {
        if (g.shape().equals(shape)) {
            return g.retain();
        }
        int lead = g.dim() - shape.rank();
        int[] axes = new int[g.dim()];
        int count = 0;
        for (int d = 0; d < g.dim(); d++) {
            if (d < lead || shape.size(d - lead) == 1 && g.size(d) != 1) {
                axes[count++] = d;
            }
        }
        try (Tensor summed = g.sum(Arrays.copyOf(axes, count), true)) {
            return summed.reshape(shape.toArray());
        }
    }

    /** A reduction's gradient spread over the reduced axes: unsqueezed where they were dropped, then expanded. */
    private static Tensor spread(Tensor g, int[] axes, boolean keepDim, Shape shape) {
        try (Tensor kept = keepDim ? g.retain() : unsqueezeAll(g, axes)) {
            return kept.expand(shape.toArray());
        }
    }

    private static Tensor unsqueezeAll(Tensor t, int[] axes) {
        Tensor current = t.retain();
        for (int axis : axes) {
            try (Tensor previous = current) {
                current = previous.unsqueeze(axis);
            }
        }
        return current;
    }

    private static long count(Shape shape, int[] axes) {
        long n = 1;
        for (int axis : axes) {
            n *= shape.size(axis);
        }
        return n;
    }

    /** g written into the part {@code view} selects of a zero tensor of the input's shape. */
    private static Tensor placed(Saved s, Tensor g, java.util.function.UnaryOperator<Tensor> view) {
        Tensor zeros = Tensors.zeros(s.shapes()[0], s.dtypes()[0], s.devices()[0]);
        try (Tensor part = view.apply(zeros)) {
            part.copy_(g);
        }
        return zeros;
    }

    /**
     * g written at {@code positions} of dimension d of a zero tensor of the input's shape, with scatter, which
     * (unlike the copy into a view of {@link #placed}) a recorded backward pass can differentiate again.
     */
    private static Tensor scattered(Saved s, Tensor g, int d, long[] positions) {
        long[] column = new long[g.dim()];
        java.util.Arrays.fill(column, 1);
        column[d] = positions.length;
        try (Tensor host = Tensors.of(positions, column); Tensor index = host.to(g.device()); Tensor expanded = index.expand(g.shape().toArray());
             Tensor zeros = Tensors.zeros(s.shapes()[0], s.dtypes()[0], s.devices()[0])) {
            return zeros.scatter(d, expanded, g);
        }
    }

    /** A gradient for src larger than the index: zero beyond the block the index covered (joined with cat, so it differentiates again). */
    private static Tensor padTo(Tensor g, Shape shape) {
        Tensor current = g.retain();
        for (int d = 0; d < shape.rank(); d++) {
            if (current.size(d) < shape.size(d)) {
                long[] rest = current.shape().toArray();
                rest[d] = shape.size(d) - current.size(d);
                try (Tensor previous = current; Tensor zeros = Tensors.zeros(Shape.of(rest), g.dtype(), g.device())) {
                    current = Tensors.cat(java.util.List.of(previous, zeros), d);
                }
            }
        }
        return current;
    }

    private static Tensor times(Tensor g, Tensor factor) {
        try (factor) {
            return g.mul(factor);
        }
    }

    private static Tensor over(Tensor g, Tensor divisor) {
        try (divisor) {
            return g.div(divisor);
        }
    }
}
