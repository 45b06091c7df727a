package ignis.optim;

import java.util.Map;
import java.util.Set;

/**
 * Multiplies each group's lr by {@code gamma} every {@code stepSize} epochs, as
 * {@code torch.optim.lr_scheduler.StepLR}: {@code lr = base_lr * gamma^(epoch / stepSize)}.
 */
public final class StepLR extends LRScheduler {

    private int stepSize;
    private double gamma;

    /** With PyTorch's default gamma, 0.1. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        this.stepSize = positive(stepSize, "StepLR: stepSize");
        this.gamma = nonNegative(gamma, "StepLR: gamma");
        initialStep();
    }

    @Override
    double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch() != 0 && lastEpoch() % stepSize == 0) {
            for (int i = 0; i < lrs.length; i++) {
                lrs[i] *= gamma;
            }
        }
        return lrs;
    }

    @Override
    void saveState(Map<String, Object> into) {
        into.put("step_size", stepSize);
        into.put("gamma", gamma);
    }

    @Override
    Set<String> stateKeys() {
        return Set.of("step_size", "gamma");
    }

    @Override
    void loadState(Map<String, ?> from) {
        int s = positive(StateDicts.integral(from.get("step_size"), "StepLR: step_size"), "StepLR: step_size");
        double g = nonNegative(StateDicts.number(from.get("gamma"), "StepLR: gamma"), "StepLR: gamma");
        stepSize = s;
        gamma = g;
    }
}
