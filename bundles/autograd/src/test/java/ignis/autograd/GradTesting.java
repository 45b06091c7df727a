package ignis.autograd;

import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.GradMode;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * What the gradcheck tests share: float64 leaves drawn from a domain (kept away from an op's kinks
 * and domain edges) and laid out contiguously, transposed, with a step, or expanded (stride 0); and
 * {@link #gradgradcheck}, the second-derivative check built on {@link Autograd#grad} and {@link GradCheck}.
 */
final class GradTesting {

    private GradTesting() {
    }

    /** Where an input's values are drawn from. */
    @FunctionalInterface
    interface Domain {
        double sample(Random rng);
    }

    /** Uniform in [-2, 2]. */
    static final Domain ANY = between(-2, 2);
    /** Uniform in [0.3, 2]: for log, sqrt, rsqrt, the base of pow. */
    static final Domain POSITIVE = between(0.3, 2);
    /** |x| in [0.2, 2], either sign: away from the kinks of abs, relu, sign and the pole of 1/x. */
    static final Domain NONZERO = magnitude(0.2, 2);
    /**
     * k + f with k in -2..2 and f in [0.1, 0.4] or [0.6, 0.9]: away from the integers, where floor,
     * ceil and trunc jump, and from the halves, where round does.
     */
    static final Domain OFF_GRID = rng -> (rng.nextInt(5) - 2) + (rng.nextBoolean() ? 0.1 : 0.6) + 0.3 * rng.nextDouble();

    static Domain between(double low, double high) {
        return rng -> low + (high - low) * rng.nextDouble();
    }

    /** |x| uniform in [low, high], either sign. */
    static Domain magnitude(double low, double high) {
        return rng -> (rng.nextBoolean() ? 1 : -1) * (low + (high - low) * rng.nextDouble());
    }

    /** How an input's elements lie in memory. */
    enum Layout {
        /** Fresh, row-major memory. */
        CONTIGUOUS,
        /** Two dimensions of a larger-or-equal buffer swapped: non-contiguous (stepped when fewer than two dimensions exceed 1). */
        TRANSPOSED,
        /** Every other element of the last dimension of a buffer, from offset 1: stride 2 and a storage offset. */
        STEPPED,
        /** A dimension broadcast from size 1 (stride 0), so its values repeat along it (contiguous when no dimension exceeds 1). */
        EXPANDED
    }

    /** A float64 leaf that requires grad, of the given shape and layout, with values drawn from the domain. */
    static Tensor leaf(Random rng, Domain domain, Layout layout, long... shape) {
        Tensor view;
        try (GradMode.Scope off = GradMode.noGrad()) {
            view = switch (layout) {
                case CONTIGUOUS -> fresh(rng, domain, shape);
                case TRANSPOSED -> transposed(rng, domain, shape);
                case STEPPED -> stepped(rng, domain, shape);
                case EXPANDED -> expanded(rng, domain, shape);
            };
        }
        Tensor leaf = view.detach();
        if (layout != Layout.CONTIGUOUS && !Arrays.equals(leaf.shape().toArray(), shape)) {
            throw new IllegalStateException("layout " + layout + " made shape " + leaf.shape() + " for " + Arrays.toString(shape));
        }
        return leaf.requiresGrad_(true);
    }

    /** A contiguous float64 leaf that requires grad, holding exactly these values. */
    static Tensor leaf(double[] values, long... shape) {
        return (shape.length == 0 ? Tensors.of(values).reshape() : Tensors.of(values, shape)).requiresGrad_(true);
    }

    /** A float64 tensor that does not require grad, for the operand a gradcheck treats as a constant. */
    static Tensor constant(Random rng, Domain domain, long... shape) {
        return fresh(rng, domain, shape);
    }

    private static Tensor fresh(Random rng, Domain domain, long... shape) {
        double[] values = new double[Math.toIntExact(Shape.of(shape).numel())];
        for (int i = 0; i < values.length; i++) {
            values[i] = domain.sample(rng);
        }
        // Tensors.of reads an empty shape as "1-D", so a rank-0 tensor is reshaped from one
        return shape.length == 0 ? Tensors.of(values).reshape() : Tensors.of(values, shape);
    }

    private static Tensor transposed(Random rng, Domain domain, long[] shape) {
        int[] wide = java.util.stream.IntStream.range(0, shape.length).filter(d -> shape[d] > 1).toArray();
        if (wide.length < 2) {
            return stepped(rng, domain, shape);
        }
        int a = wide[wide.length - 2];
        int b = wide[wide.length - 1];
        long[] stored = shape.clone();
        stored[a] = shape[b];
        stored[b] = shape[a];
        return fresh(rng, domain, stored).transpose(a, b);
    }

    private static Tensor stepped(Random rng, Domain domain, long[] shape) {
        if (shape.length == 0) {
            return fresh(rng, domain, shape);
        }
        long[] stored = shape.clone();
        long n = shape[shape.length - 1];
        stored[shape.length - 1] = 2 * n + 1;
        return fresh(rng, domain, stored).slice(-1, 1, 2 * n + 1, 2);
    }

    private static Tensor expanded(Random rng, Domain domain, long[] shape) {
        int[] wide = java.util.stream.IntStream.range(0, shape.length).filter(d -> shape[d] > 1).toArray();
        if (wide.length == 0) {
            return fresh(rng, domain, shape);
        }
        long[] stored = shape.clone();
        stored[wide[0]] = 1;
        return fresh(rng, domain, stored).expand(shape);
    }

    /** Int64 indices as a tensor of the given shape. */
    static Tensor index(long[] values, long... shape) {
        return Tensors.of(values, shape);
    }

    static Tensor mask(boolean[] values, long... shape) {
        return Tensors.of(values, shape);
    }

    /** A random bool mask with at least one true and one false element. */
    static Tensor mask(Random rng, long... shape) {
        boolean[] values = new boolean[Math.toIntExact(Shape.of(shape).numel())];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextBoolean();
        }
        if (values.length > 1) {
            values[0] = true;
            values[1] = false;
        }
        return Tensors.of(values, shape);
    }

    // ---- second derivatives -------------------------------------------------------------------

    /**
     * gradgradcheck, as PyTorch's: the first gradients of {@code sum(f(inputs) * v)}, flattened and joined,
     * are checked by {@link GradCheck#check} with respect to the inputs and to v (fixed values, not all
     * ones, that require grad like the inputs: the recorded backward pass must differentiate in the
     * output's gradient too). Its analytic side differentiates the first gradients recorded with
     * createGraph=true; its numeric side takes central differences of first gradients computed afresh
     * at perturbed inputs.
     */
    static void gradgradcheck(Function<Tensor[], Tensor> f, Tensor... inputs) {
        long[] outShape;
        try (GradMode.Scope off = GradMode.noGrad(); Tensor probe = f.apply(inputs)) {
            outShape = probe.shape().toArray();
        }
        double[] v = new double[Math.toIntExact(Shape.of(outShape).numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1.25 + Math.sin(1.7 * i + 0.3);
        }
        Tensor[] all = Arrays.copyOf(inputs, inputs.length + 1);
        all[inputs.length] = leaf(v, outShape);
        GradCheck.check(ts -> firstGradients(f, Arrays.copyOf(ts, inputs.length), ts[inputs.length]), all);
    }

    /**
     * d sum(f(ts) * v) / d ts, flattened and joined. When grad mode is on and every tensor requires grad
     * (gradcheck's analytic pass), the backward pass is recorded so it can be differentiated again;
     * otherwise (its numeric pass, on perturbed copies) it is computed on detached copies of the inputs.
     */
    static Tensor firstGradients(Function<Tensor[], Tensor> f, Tensor[] ts, Tensor v) {
        boolean recorded = GradMode.isEnabled() && v.requiresGrad() && Arrays.stream(ts).allMatch(Tensor::requiresGrad);
        try (GradMode.Scope on = GradMode.enableGrad()) {
            Tensor[] xs = recorded ? ts : Arrays.stream(ts).map(t -> t.detach().requiresGrad_(true)).toArray(Tensor[]::new);
            Tensor weights = recorded ? v : v.detach();
            Tensor total = f.apply(xs).mul(weights).sum();
            List<Tensor> grads = Autograd.grad(List.of(total), List.of(xs), null, recorded, recorded, true);
            List<Tensor> pieces = new ArrayList<>();
            for (int k = 0; k < xs.length; k++) {
                Tensor g = grads.get(k);
                pieces.add(g == null ? Tensors.zeros(Shape.of(xs[k].numel()), DType.FLOAT64, Device.CPU) : g.reshape(-1));
            }
            return Tensors.cat(pieces, 0);
        }
    }

    /** The gradients of {@code f(inputs).sum()}, for the hand-worked cases. */
    static List<double[]> gradientsOfSum(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor total = f.apply(inputs).sum();
        return Autograd.grad(total, List.of(inputs)).stream().map(Tensor::toDoubleArray).toList();
    }
}
