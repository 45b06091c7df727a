package ignis.optim;

import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adagrad, as {@code torch.optim.Adagrad}:
 * <pre>
 * t = t + 1
 * g = maximize ? -grad : grad
 * if weight_decay != 0:  g = g + weight_decay * p
 * clr = lr / (1 + (t - 1) * lr_decay)
 * sum = sum + g * g
 * p = p - clr * g / (sqrt(sum) + eps)
 * </pre>
 * As in PyTorch, each parameter's state ({@code step} 0 and {@code sum} filled with
 * {@code initial_accumulator_value}) is made when its group is added.
 */
public final class Adagrad extends Optimizer {

    static final OptionSchema SCHEMA = OptionSchema.builder("Adagrad")
            .number("lr", 1e-2, "learning rate", v -> v >= 0, ">= 0")
            .number("lr_decay", 0, "lr_decay value", v -> v >= 0, ">= 0")
            .number("weight_decay", 0, "weight_decay value", v -> v >= 0, ">= 0")
            .number("initial_accumulator_value", 0, "initial_accumulator_value value", v -> v >= 0, ">= 0")
            .number("eps", 1e-10, "epsilon value", v -> v >= 0, ">= 0")
            .flag("maximize", false)
            .build();

    /** Adagrad's options; those not set keep PyTorch's defaults (lr 1e-2, eps 1e-10). */
    public static final class Options extends OptimizerOptions {
        Options() {
            super(SCHEMA);
        }

        public Options lr(double lr) {
            put("lr", lr);
            return this;
        }

        /** The learning rate at step t is {@code lr / (1 + (t - 1) * lrDecay)}. */
        public Options lrDecay(double lrDecay) {
            put("lr_decay", lrDecay);
            return this;
        }

        public Options weightDecay(double weightDecay) {
            put("weight_decay", weightDecay);
            return this;
        }

        /** The starting value of the sum of squared gradients. */
        public Options initialAccumulatorValue(double value) {
            put("initial_accumulator_value", value);
            return this;
        }

        public Options eps(double eps) {
            put("eps", eps);
            return this;
        }

        public Options maximize(boolean maximize) {
            put("maximize", maximize);
            return this;
        }
    }

    public static Options options() {
        return new Options();
    }

    /** With PyTorch's defaults (lr 1e-2). */
    public Adagrad(Iterable<Tensor> params) {
        this(params, options());
    }

    public Adagrad(Iterable<Tensor> params, double lr) {
        this(params, options().lr(lr));
    }

    public Adagrad(Iterable<Tensor> params, Options options) {
        super(SCHEMA, List.of(ParamGroup.of(params)), options);
    }

    /** With several param groups, each with its own options over {@code defaults}. */
    public Adagrad(List<ParamGroup> groups, Options defaults) {
        super(SCHEMA, groups, defaults);
    }

    @Override
    void initState(Tensor param, Map<String, Object> options, Map<String, Object> state) {
        state.put("step", 0L);
        state.put("sum", own(Tensors.fullLike(param, (Double) options.get("initial_accumulator_value"))));
    }

    @Override
    void update(Tensor param, Tensor grad, ParamGroup group, Map<String, Object> state) {
        double lr = group.getDouble("lr");
        double lrDecay = group.getDouble("lr_decay");
        double weightDecay = group.getDouble("weight_decay");
        double eps = group.getDouble("eps");
        if (!(state.get("sum") instanceof Tensor)) {
            initState(param, group.options(), state);
        }
        long step = nextStep(state);
        Tensor sum = (Tensor) state.get("sum");

        Tensor g = group.getBoolean("maximize") ? grad.neg() : grad;
        if (weightDecay != 0) {
            g = g.add(param, weightDecay);
        }
        double clr = lr / (1 + (step - 1) * lrDecay);
        try (Tensor squared = g.mul(g)) {
            sum.add_(squared);
        }
        Tensor std = sum.sqrt();
        std.add_(eps);
        try (Tensor ratio = g.div(std)) {
            addScaled(param, ratio, -clr);
        }
    }

    @Override
    void checkState(String where, Map<String, Object> state, Map<String, Object> options, Tensor param) {
        StateDicts.checkParamState(where, state, param, Set.of("sum"), Set.of("sum"), true);
    }
}
