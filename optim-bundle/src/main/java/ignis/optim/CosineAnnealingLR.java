package ignis.optim;

import java.util.Map;
import java.util.Set;

/**
 * Anneals each group's lr along a cosine from its base lr to {@code etaMin} over {@code tMax} epochs,
 * as {@code torch.optim.lr_scheduler.CosineAnnealingLR} (SGDR without restarts):
 * {@code lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2}. Past {@code tMax}
 * the cosine goes on, rising back, as PyTorch's does. Stepped with PyTorch's recursive form, which
 * equals the closed form when this scheduler alone sets the lr.
 */
public final class CosineAnnealingLR extends LRScheduler {

    private int tMax;
    private double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        this.tMax = positive(tMax, "CosineAnnealingLR: tMax");
        this.etaMin = finite(etaMin, "CosineAnnealingLR: etaMin");
        initialStep();
    }

    @Override
    double[] computeLr() {
        double[] lrs = currentLrs();
        long epoch = lastEpoch();
        if (epoch == 0) {
            return lrs;
        }
        for (int i = 0; i < lrs.length; i++) {
            double base = baseLr(i);
            if (stepCount() == 1 && epoch > 0) {
                lrs[i] = etaMin + (base - etaMin) * (1 + Math.cos(epoch * Math.PI / tMax)) / 2;
            } else if (Math.floorMod(epoch - 1 - tMax, 2L * tMax) == 0) {
                lrs[i] = lrs[i] + (base - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            } else {
                lrs[i] = (1 + Math.cos(Math.PI * epoch / tMax)) / (1 + Math.cos(Math.PI * (epoch - 1) / tMax))
                        * (lrs[i] - etaMin) + etaMin;
            }
        }
        return lrs;
    }

    @Override
    void saveState(Map<String, Object> into) {
        into.put("T_max", tMax);
        into.put("eta_min", etaMin);
    }

    @Override
    Set<String> stateKeys() {
        return Set.of("T_max", "eta_min");
    }

    @Override
    void loadState(Map<String, ?> from) {
        int t = positive(StateDicts.integral(from.get("T_max"), "CosineAnnealingLR: T_max"), "CosineAnnealingLR: T_max");
        double eta = finite(StateDicts.number(from.get("eta_min"), "CosineAnnealingLR: eta_min"), "CosineAnnealingLR: eta_min");
        tMax = t;
        etaMin = eta;
    }
}
