package ignis.optim;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Multiplies each group's lr by {@code gamma} at each milestone epoch, as
 * {@code torch.optim.lr_scheduler.MultiStepLR}: {@code lr = base_lr * gamma^(milestones passed)}.
 * A milestone listed twice counts twice, as in PyTorch.
 */
public final class MultiStepLR extends LRScheduler {

    /** Milestone epoch to the number of times it was listed (PyTorch's Counter). */
    private Map<Long, Integer> milestones;
    private double gamma;

    /** With PyTorch's default gamma, 0.1. */
    public MultiStepLR(Optimizer optimizer, List<Integer> milestones) {
        this(optimizer, milestones, 0.1);
    }

    public MultiStepLR(Optimizer optimizer, List<Integer> milestones, double gamma) {
        super(optimizer);
        Objects.requireNonNull(milestones, "milestones");
        Map<Long, Integer> counts = new TreeMap<>();
        for (Integer m : milestones) {
            if (m == null || m < 0) {
                throw new IllegalArgumentException("MultiStepLR: milestones must be epochs >= 0, not " + m + " (in " + milestones + ")");
            }
            counts.merge((long) m, 1, Integer::sum);
        }
        this.milestones = counts;
        this.gamma = nonNegative(gamma, "MultiStepLR: gamma");
        initialStep();
    }

    @Override
    double[] computeLr() {
        double[] lrs = currentLrs();
        Integer times = milestones.get(lastEpoch());
        if (times != null) {
            double factor = Math.pow(gamma, times);
            for (int i = 0; i < lrs.length; i++) {
                lrs[i] *= factor;
            }
        }
        return lrs;
    }

    @Override
    void saveState(Map<String, Object> into) {
        into.put("milestones", new TreeMap<>(milestones));
        into.put("gamma", gamma);
    }

    @Override
    Set<String> stateKeys() {
        return Set.of("milestones", "gamma");
    }

    @Override
    void loadState(Map<String, ?> from) {
        Map<?, ?> saved = StateDicts.map(from.get("milestones"), "MultiStepLR: milestones");
        Map<Long, Integer> counts = new TreeMap<>();
        for (Map.Entry<?, ?> e : saved.entrySet()) {
            long epoch = StateDicts.integral(e.getKey(), "MultiStepLR: a milestone");
            long times = StateDicts.integral(e.getValue(), "MultiStepLR: the count of milestone " + epoch);
            if (epoch < 0 || times < 1) {
                throw new IllegalArgumentException("MultiStepLR: milestone " + epoch + " x " + times + ": epochs must be >= 0 and counts >= 1");
            }
            counts.put(epoch, Math.toIntExact(times));
        }
        double g = nonNegative(StateDicts.number(from.get("gamma"), "MultiStepLR: gamma"), "MultiStepLR: gamma");
        milestones = counts;
        gamma = g;
    }
}
