package ignis.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongToDoubleFunction;

/**
 * Sets each group's lr to its base lr times a function of the epoch, as
 * {@code torch.optim.lr_scheduler.LambdaLR}: {@code new LambdaLR(opt, epoch -> Math.pow(0.95, epoch))}.
 * The functions are not part of the state dict (as in PyTorch, which saves only callable objects).
 */
public final class LambdaLR extends LRScheduler {

    private final List<LongToDoubleFunction> lambdas;

    /** One function for every group. */
    public LambdaLR(Optimizer optimizer, LongToDoubleFunction lrLambda) {
        this(optimizer, repeat(Objects.requireNonNull(lrLambda, "lrLambda"), optimizer.paramGroups().size()));
    }

    /** One function per group, in order. */
    public LambdaLR(Optimizer optimizer, List<LongToDoubleFunction> lrLambdas) {
        super(optimizer);
        Objects.requireNonNull(lrLambdas, "lrLambdas");
        if (lrLambdas.size() != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException("LambdaLR: expected " + optimizer.paramGroups().size() + " lr lambdas (one per param group), got "
                    + lrLambdas.size());
        }
        for (int i = 0; i < lrLambdas.size(); i++) {
            Objects.requireNonNull(lrLambdas.get(i), "lr lambda " + i);
        }
        this.lambdas = List.copyOf(lrLambdas);
        initialStep();
    }

    private static List<LongToDoubleFunction> repeat(LongToDoubleFunction f, int n) {
        List<LongToDoubleFunction> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(f);
        }
        return out;
    }

    @Override
    double[] computeLr() {
        double[] lrs = new double[lambdas.size()];
        for (int i = 0; i < lrs.length; i++) {
            double factor = lambdas.get(i).applyAsDouble(lastEpoch());
            if (!Double.isFinite(factor)) {
                throw new IllegalStateException("LambdaLR: the lambda of group " + i + " gave " + factor + " at epoch " + lastEpoch());
            }
            lrs[i] = baseLr(i) * factor;
        }
        return lrs;
    }

    @Override
    void saveState(Map<String, Object> into) {
    }

    @Override
    Set<String> stateKeys() {
        return Set.of();
    }

    @Override
    void loadState(Map<String, ?> from) {
    }
}
