package ignis.optim;

import ignis.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW}: before the Adam step (which adds no
 * L2 term to the gradient) the parameter decays, {@code p = p * (1 - lr * weight_decay)}. The
 * default weight decay is 1e-2. Same state as {@link Adam}.
 */
public final class AdamW extends Optimizer {

    static final OptionSchema SCHEMA = Adam.schema("AdamW", 1e-2);

    /** AdamW's options; those not set keep PyTorch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-2). */
    public static final class Options extends OptimizerOptions {
        Options() {
            super(SCHEMA);
        }

        public Options lr(double lr) {
            put("lr", lr);
            return this;
        }

        public Options betas(double beta1, double beta2) {
            put("betas", List.of(beta1, beta2));
            return this;
        }

        public Options eps(double eps) {
            put("eps", eps);
            return this;
        }

        /** The decoupled decay: each step multiplies the parameter by {@code 1 - lr * weightDecay}. */
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

    /** With PyTorch's defaults (lr 1e-3, weight decay 1e-2). */
    public AdamW(Iterable<Tensor> params) {
        this(params, options());
    }

    public AdamW(Iterable<Tensor> params, double lr) {
        this(params, options().lr(lr));
    }

    public AdamW(Iterable<Tensor> params, Options options) {
        super(SCHEMA, List.of(ParamGroup.of(params)), options);
    }

    /** With several param groups, each with its own options over {@code defaults}. */
    public AdamW(List<ParamGroup> groups, Options defaults) {
        super(SCHEMA, groups, defaults);
    }

    @Override
    void update(Tensor param, Tensor grad, ParamGroup group, Map<String, Object> state) {
        Adam.step(param, grad, group, state, true);
    }

    @Override
    void checkState(String where, Map<String, Object> state, Map<String, Object> options, Tensor param) {
        Adam.checkAdamState(where, state, options, param);
    }
}
