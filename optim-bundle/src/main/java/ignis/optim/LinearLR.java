package ignis.optim;

import java.util.Map;
import java.util.Set;

/**
 * Scales each group's lr by a factor that moves linearly from {@code startFactor} to
 * {@code endFactor} over {@code totalIters} epochs, then stays, as
 * {@code torch.optim.lr_scheduler.LinearLR} (a warm-up):
 * {@code lr = base_lr * (start + (end - start) * min(epoch, total_iters) / total_iters)}.
 */
public final class LinearLR extends LRScheduler {

    private double startFactor;
    private double endFactor;
    private int totalIters;

    /** With PyTorch's defaults: from 1/3 to 1 over 5 epochs. */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        checkFactors(startFactor, endFactor);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = positive(totalIters, "LinearLR: totalIters");
        initialStep();
    }

    private static void checkFactors(double startFactor, double endFactor) {
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: startFactor must be in (0, 1], not " + startFactor);
        }
        if (!(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: endFactor must be in [0, 1], not " + endFactor);
        }
    }

    @Override
    double[] computeLr() {
        double[] lrs = currentLrs();
        long epoch = lastEpoch();
        if (epoch == 0) {
            for (int i = 0; i < lrs.length; i++) {
                lrs[i] *= startFactor;
            }
        } else if (epoch <= totalIters) {
            double factor = 1 + (endFactor - startFactor) / (totalIters * startFactor + (epoch - 1) * (endFactor - startFactor));
            for (int i = 0; i < lrs.length; i++) {
                lrs[i] *= factor;
            }
        }
        return lrs;
    }

    @Override
    void saveState(Map<String, Object> into) {
        into.put("start_factor", startFactor);
        into.put("end_factor", endFactor);
        into.put("total_iters", totalIters);
    }

    @Override
    Set<String> stateKeys() {
        return Set.of("start_factor", "end_factor", "total_iters");
    }

    @Override
    void loadState(Map<String, ?> from) {
        double start = StateDicts.number(from.get("start_factor"), "LinearLR: start_factor");
        double end = StateDicts.number(from.get("end_factor"), "LinearLR: end_factor");
        checkFactors(start, end);
        int total = positive(StateDicts.integral(from.get("total_iters"), "LinearLR: total_iters"), "LinearLR: total_iters");
        startFactor = start;
        endFactor = end;
        totalIters = total;
    }
}
