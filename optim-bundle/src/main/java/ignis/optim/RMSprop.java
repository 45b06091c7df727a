package ignis.optim;

import ignis.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RMSprop, as {@code torch.optim.RMSprop}:
 * <pre>
 * g = maximize ? -grad : grad
 * if weight_decay != 0:  g = g + weight_decay * p
 * v = alpha * v + (1 - alpha) * g * g
 * if centered:  g_avg = alpha * g_avg + (1 - alpha) * g;  avg = sqrt(v - g_avg * g_avg) + eps
 * else:         avg = sqrt(v) + eps
 * if momentum > 0:  buf = momentum * buf + g / avg;  p = p - lr * buf
 * else:             p = p - lr * g / avg
 * </pre>
 * The state of a parameter: {@code step}, {@code square_avg}, {@code momentum_buffer} (with
 * momentum) and {@code grad_avg} (when centered), all starting at zero.
 */
public final class RMSprop extends Optimizer {

    static final OptionSchema SCHEMA = OptionSchema.builder("RMSprop")
            .number("lr", 1e-2, "learning rate", v -> v >= 0, ">= 0")
            .number("alpha", 0.99, "alpha value", v -> v >= 0, ">= 0")
            .number("eps", 1e-8, "epsilon value", v -> v >= 0, ">= 0")
            .number("weight_decay", 0, "weight_decay value", v -> v >= 0, ">= 0")
            .number("momentum", 0, "momentum value", v -> v >= 0, ">= 0")
            .flag("centered", false)
            .flag("maximize", false)
            .build();

    /** RMSprop's options; those not set keep PyTorch's defaults (lr 1e-2, alpha 0.99, eps 1e-8). */
    public static final class Options extends OptimizerOptions {
        Options() {
            super(SCHEMA);
        }

        public Options lr(double lr) {
            put("lr", lr);
            return this;
        }

        /** The smoothing constant of the running average of squared gradients. */
        public Options alpha(double alpha) {
            put("alpha", alpha);
            return this;
        }

        public Options eps(double eps) {
            put("eps", eps);
            return this;
        }

        public Options weightDecay(double weightDecay) {
            put("weight_decay", weightDecay);
            return this;
        }

        public Options momentum(double momentum) {
            put("momentum", momentum);
            return this;
        }

        /** Normalises by an estimate of the gradient's variance instead of its second moment. */
        public Options centered(boolean centered) {
            put("centered", centered);
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
    public RMSprop(Iterable<Tensor> params) {
        this(params, options());
    }

    public RMSprop(Iterable<Tensor> params, double lr) {
        this(params, options().lr(lr));
    }

    public RMSprop(Iterable<Tensor> params, Options options) {
        super(SCHEMA, List.of(ParamGroup.of(params)), options);
    }

    /** With several param groups, each with its own options over {@code defaults}. */
    public RMSprop(List<ParamGroup> groups, Options defaults) {
        super(SCHEMA, groups, defaults);
    }

    @Override
    void update(Tensor param, Tensor grad, ParamGroup group, Map<String, Object> state) {
        double lr = group.getDouble("lr");
        double alpha = group.getDouble("alpha");
        double eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        double momentum = group.getDouble("momentum");
        boolean centered = group.getBoolean("centered");
        if (state.isEmpty()) {
            state.put("step", 0L);
            zerosState(state, "square_avg", param);
            if (momentum > 0) {
                zerosState(state, "momentum_buffer", param);
            }
            if (centered) {
                zerosState(state, "grad_avg", param);
            }
        }
        nextStep(state);
        Tensor squareAvg = (Tensor) state.get("square_avg");

        Tensor g = group.getBoolean("maximize") ? grad.neg() : grad;
        if (weightDecay != 0) {
            g = g.add(param, weightDecay);
        }
        squareAvg.mul_(alpha);
        try (Tensor squared = g.mul(g)) {
            addScaled(squareAvg, squared, 1 - alpha);
        }
        Tensor avg;
        if (centered) {
            Tensor gradAvg = zerosState(state, "grad_avg", param);
            gradAvg.mul_(alpha);
            addScaled(gradAvg, g, 1 - alpha);
            try (Tensor meanSquared = gradAvg.mul(gradAvg)) {
                avg = squareAvg.sub(meanSquared);
            }
            avg.sqrt_();
        } else {
            avg = squareAvg.sqrt();
        }
        avg.add_(eps);
        if (momentum > 0) {
            Tensor buf = zerosState(state, "momentum_buffer", param);
            buf.mul_(momentum);
            try (Tensor ratio = g.div(avg)) {
                buf.add_(ratio);
            }
            addScaled(param, buf, -lr);
        } else {
            try (Tensor ratio = g.div(avg)) {
                addScaled(param, ratio, -lr);
            }
        }
    }

    /**
     * Only {@code square_avg} is required: {@code momentum_buffer} and {@code grad_avg} are missing from
     * a state saved before momentum or centering was switched on (as OneCycleLR does with momentum), and
     * the step starts them at zero.
     */
    @Override
    void checkState(String where, Map<String, Object> state, Map<String, Object> options, Tensor param) {
        StateDicts.checkParamState(where, state, param, Set.of("square_avg", "momentum_buffer", "grad_avg"), Set.of("square_avg"), true);
    }
}
