package ignis.optim;

import java.util.Map;
import java.util.Set;

/** Multiplies each group's lr by {@code gamma} every epoch, as {@code torch.optim.lr_scheduler.ExponentialLR}: {@code lr = base_lr * gamma^epoch}. */
public final class ExponentialLR extends LRScheduler {

    private double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = nonNegative(gamma, "ExponentialLR: gamma");
        initialStep();
    }

    @Override
    double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch() != 0) {
            for (int i = 0; i < lrs.length; i++) {
                lrs[i] *= gamma;
            }
        }
        return lrs;
    }

    @Override
    void saveState(Map<String, Object> into) {
        into.put("gamma", gamma);
    }

    @Override
    Set<String> stateKeys() {
        return Set.of("gamma");
    }

    @Override
    void loadState(Map<String, ?> from) {
        gamma = nonNegative(StateDicts.number(from.get("gamma"), "ExponentialLR: gamma"), "ExponentialLR: gamma");
    }
}
