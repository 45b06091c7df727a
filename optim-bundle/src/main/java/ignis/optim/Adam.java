package ignis.optim;

import ignis.tensor.OptimizerSteps;
import ignis.tensor.Tensor;
import ignis.tensor.spi.AdamCoefficients;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam, as {@code torch.optim.Adam}, with the step of PyTorch's implementation:
 * <pre>
 * t = t + 1
 * g = maximize ? -grad : grad
 * if weight_decay != 0:  g = g + weight_decay * p          (L2 penalty; see {@link AdamW} for decoupled decay)
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * if amsgrad:  v_max = max(v_max, v);  s = v_max  else s = v
 * p = p - (lr / (1 - beta1^t)) * m / (sqrt(s) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * {@code new Adam(model.parameters(), 1e-3)}, or
 * {@code new Adam(params, Adam.options().lr(1e-3).betas(0.9, 0.99).amsgrad(true))}. The state of a
 * parameter: {@code step}, {@code exp_avg}, {@code exp_avg_sq} and, with amsgrad, {@code max_exp_avg_sq}.
 */
public final class Adam extends Optimizer {

    static final OptionSchema SCHEMA = schema("Adam", 0);

    /** The options of Adam and AdamW, which differ only in the default weight decay. */
    static OptionSchema schema(String name, double weightDecay) {
        return OptionSchema.builder(name)
                .number("lr", 1e-3, "learning rate", v -> v >= 0, ">= 0")
                .betas(0.9, 0.999)
                .number("eps", 1e-8, "epsilon value", v -> v >= 0, ">= 0")
                .number("weight_decay", weightDecay, "weight_decay value", v -> v >= 0, ">= 0")
                .flag("amsgrad", false)
                .flag("maximize", false)
                .build();
    }

    /** Adam's options; those not set keep PyTorch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8). */
    public static final class Options extends OptimizerOptions {
        Options() {
            super(SCHEMA);
        }

        public Options lr(double lr) {
            put("lr", lr);
            return this;
        }

        /** The decay rates of the first and second moment estimates, each in [0, 1). */
        public Options betas(double beta1, double beta2) {
            put("betas", List.of(beta1, beta2));
            return this;
        }

        public Options eps(double eps) {
            put("eps", eps);
            return this;
        }

        /** An L2 penalty added to the gradient (for decoupled weight decay, use {@link AdamW}). */
        public Options weightDecay(double weightDecay) {
            put("weight_decay", weightDecay);
            return this;
        }

        public Options amsgrad(boolean amsgrad) {
            put("amsgrad", amsgrad);
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

    /** With PyTorch's defaults (lr 1e-3). */
    public Adam(Iterable<Tensor> params) {
        this(params, options());
    }

    public Adam(Iterable<Tensor> params, double lr) {
        this(params, options().lr(lr));
    }

    public Adam(Iterable<Tensor> params, Options options) {
        super(SCHEMA, List.of(ParamGroup.of(params)), options);
    }

    /** With several param groups, each with its own options over {@code defaults}. */
    public Adam(List<ParamGroup> groups, Options defaults) {
        super(SCHEMA, groups, defaults);
    }

    @Override
    void update(Tensor param, Tensor grad, ParamGroup group, Map<String, Object> state) {
        step(param, grad, group, state, false);
    }

    /** The Adam step; {@code decoupled} applies the weight decay to the parameter (AdamW) instead of the gradient. */
    static void step(Tensor param, Tensor grad, ParamGroup group, Map<String, Object> state, boolean decoupled) {
        double lr = group.getDouble("lr");
        double[] betas = group.getDoubles("betas");
        double beta1 = betas[0];
        double beta2 = betas[1];
        double eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        boolean amsgrad = group.getBoolean("amsgrad");
        if (state.isEmpty()) {
            state.put("step", 0L);
            zerosState(state, "exp_avg", param);
            zerosState(state, "exp_avg_sq", param);
        }
        long step = nextStep(state);
        Tensor expAvg = (Tensor) state.get("exp_avg");
        Tensor expAvgSq = (Tensor) state.get("exp_avg_sq");

        if (weightDecay != 0 && decoupled) {
            param.mul_(1 - lr * weightDecay);
        }
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        Tensor maxExpAvgSq = amsgrad ? zerosState(state, "max_exp_avg_sq", param) : null;
        AdamCoefficients coefficients = new AdamCoefficients(beta1, beta2, eps, lr / biasCorrection1, Math.sqrt(biasCorrection2));
        try (Tensor ascent = group.getBoolean("maximize") ? grad.neg() : null;
             Tensor decayed = weightDecay != 0 && !decoupled ? (ascent != null ? ascent : grad).add(param, weightDecay) : null) {
            Tensor g = decayed != null ? decayed : ascent != null ? ascent : grad;
            OptimizerSteps.adam(param, g, expAvg, expAvgSq, maxExpAvgSq, coefficients);
        }
    }

    @Override
    void checkState(String where, Map<String, Object> state, Map<String, Object> options, Tensor param) {
        checkAdamState(where, state, options, param);
    }

    /**
     * {@code max_exp_avg_sq} is optional even with amsgrad: a state saved before amsgrad was switched on
     * lacks it, and the step then starts it at zero, as it does the other buffers.
     */
    static void checkAdamState(String where, Map<String, Object> state, Map<String, Object> options, Tensor param) {
        StateDicts.checkParamState(where, state, param, Set.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq"),
                Set.of("exp_avg", "exp_avg_sq"), true);
    }
}
