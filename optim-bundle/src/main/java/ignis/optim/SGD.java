package ignis.optim;

import ignis.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with optional momentum, as {@code torch.optim.SGD}:
 * <pre>
 * g = maximize ? -grad : grad
 * if weight_decay != 0:  g = g + weight_decay * p
 * if momentum != 0:
 *     buf = g                                    (first step)
 *     buf = momentum * buf + (1 - dampening) * g (later steps)
 *     g = nesterov ? g + momentum * buf : buf
 * p = p - lr * g
 * </pre>
 * {@code new SGD(model.parameters(), 0.1)}, or
 * {@code new SGD(params, SGD.options().lr(0.1).momentum(0.9).nesterov(true))}.
 * The state of a parameter is its {@code momentum_buffer} (only with momentum).
 */
public final class SGD extends Optimizer {

    static final OptionSchema SCHEMA = OptionSchema.builder("SGD")
            .number("lr", 1e-3, "learning rate", v -> v >= 0, ">= 0")
            .number("momentum", 0, "momentum value", v -> v >= 0, ">= 0")
            .number("dampening", 0, "dampening value", v -> true, "finite")
            .number("weight_decay", 0, "weight_decay value", v -> v >= 0, ">= 0")
            .flag("nesterov", false)
            .flag("maximize", false)
            .groupCheck(g -> {
                if ((Boolean) g.get("nesterov") && ((Double) g.get("momentum") <= 0 || (Double) g.get("dampening") != 0)) {
                    throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum > 0 and zero dampening, not momentum "
                            + g.get("momentum") + " and dampening " + g.get("dampening"));
                }
            })
            .build();

    /** SGD's options; those not set keep PyTorch's defaults (lr 1e-3, no momentum, no weight decay). */
    public static final class Options extends OptimizerOptions {
        Options() {
            super(SCHEMA);
        }

        public Options lr(double lr) {
            put("lr", lr);
            return this;
        }

        public Options momentum(double momentum) {
            put("momentum", momentum);
            return this;
        }

        public Options dampening(double dampening) {
            put("dampening", dampening);
            return this;
        }

        public Options weightDecay(double weightDecay) {
            put("weight_decay", weightDecay);
            return this;
        }

        public Options nesterov(boolean nesterov) {
            put("nesterov", nesterov);
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
    public SGD(Iterable<Tensor> params) {
        this(params, options());
    }

    public SGD(Iterable<Tensor> params, double lr) {
        this(params, options().lr(lr));
    }

    public SGD(Iterable<Tensor> params, Options options) {
        super(SCHEMA, List.of(ParamGroup.of(params)), options);
    }

    /** With several param groups, each with its own options over {@code defaults}. */
    public SGD(List<ParamGroup> groups, Options defaults) {
        super(SCHEMA, groups, defaults);
    }

    @Override
    void update(Tensor param, Tensor grad, ParamGroup group, Map<String, Object> state) {
        double lr = group.getDouble("lr");
        double momentum = group.getDouble("momentum");
        double dampening = group.getDouble("dampening");
        double weightDecay = group.getDouble("weight_decay");
        boolean nesterov = group.getBoolean("nesterov");
        Tensor g = group.getBoolean("maximize") ? grad.neg() : grad;
        if (weightDecay != 0) {
            g = g.add(param, weightDecay);
        }
        if (momentum != 0) {
            Tensor buf = state.get("momentum_buffer") instanceof Tensor t ? t : null;
            if (buf == null) {
                buf = own(g.clone());
                state.put("momentum_buffer", buf);
            } else {
                buf.mul_(momentum);
                addScaled(buf, g, 1 - dampening);
            }
            g = nesterov ? g.add(buf, momentum) : buf;
        }
        addScaled(param, g, -lr);
    }

    @Override
    void checkState(String where, Map<String, Object> state, Map<String, Object> options, Tensor param) {
        StateDicts.checkParamState(where, state, param, Set.of("momentum_buffer"), Set.of(), false);
    }
}
