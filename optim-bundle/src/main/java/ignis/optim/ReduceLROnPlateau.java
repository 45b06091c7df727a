package ignis.optim;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reduces the lr when a metric stops improving, as {@code torch.optim.lr_scheduler.ReduceLROnPlateau}:
 * call {@link #step(double)} with the validation loss (or accuracy, in {@link Mode#MAX}) after each
 * epoch. When the metric has not improved for more than {@code patience} epochs, each group's lr
 * becomes {@code max(lr * factor, min_lr)} (unless that changes it by no more than {@code eps}), and
 * {@code cooldown} epochs pass before bad epochs count again.
 *
 * <p>Improvement is judged against the best value so far with a threshold: in {@link ThresholdMode#REL}
 * mode a new value must beat {@code best * (1 - threshold)} (min) or {@code best * (1 + threshold)}
 * (max); in {@link ThresholdMode#ABS} mode {@code best - threshold} or {@code best + threshold}.
 */
public final class ReduceLROnPlateau extends LRScheduler {

    /** Whether the metric should fall (a loss) or rise (an accuracy). */
    public enum Mode {
        MIN, MAX
    }

    /** Whether the threshold is relative to the best value or absolute. */
    public enum ThresholdMode {
        REL, ABS
    }

    /** ReduceLROnPlateau's options; those not set keep PyTorch's defaults. */
    public static final class Options {
        private Mode mode = Mode.MIN;
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private ThresholdMode thresholdMode = ThresholdMode.REL;
        private int cooldown;
        private double[] minLrs = {0};
        private double eps = 1e-8;

        private Options() {
        }

        public Options mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** The factor each reduction multiplies the lr by, in [0, 1); default 0.1. */
        public Options factor(double factor) {
            if (!(factor >= 0 && factor < 1)) {
                throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in [0, 1), not " + factor);
            }
            this.factor = factor;
            return this;
        }

        /** The number of epochs without improvement tolerated before a reduction; default 10. */
        public Options patience(int patience) {
            this.patience = nonNegativeInt(patience, "patience");
            return this;
        }

        public Options threshold(double threshold) {
            this.threshold = nonNegative(threshold, "ReduceLROnPlateau: threshold");
            return this;
        }

        public Options thresholdMode(ThresholdMode thresholdMode) {
            this.thresholdMode = Objects.requireNonNull(thresholdMode, "thresholdMode");
            return this;
        }

        /** The number of epochs after a reduction during which bad epochs do not count; default 0. */
        public Options cooldown(int cooldown) {
            this.cooldown = nonNegativeInt(cooldown, "cooldown");
            return this;
        }

        /** The lower bound of every group's lr; default 0. */
        public Options minLr(double minLr) {
            this.minLrs = new double[] {nonNegative(minLr, "ReduceLROnPlateau: minLr")};
            return this;
        }

        /** A lower bound per param group, in order. */
        public Options minLrs(double... perGroup) {
            for (double lr : perGroup) {
                nonNegative(lr, "ReduceLROnPlateau: minLr");
            }
            this.minLrs = perGroup.clone();
            return this;
        }

        /** A reduction smaller than this is skipped; default 1e-8. */
        public Options eps(double eps) {
            this.eps = nonNegative(eps, "ReduceLROnPlateau: eps");
            return this;
        }

        private static int nonNegativeInt(int value, String what) {
            if (value < 0) {
                throw new IllegalArgumentException("ReduceLROnPlateau: " + what + " must be >= 0, not " + value);
            }
            return value;
        }
    }

    private Mode mode;
    private double factor;
    private int patience;
    private double threshold;
    private ThresholdMode thresholdMode;
    private int cooldown;
    private double[] minLrs;
    private double eps;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;

    public static Options options() {
        return new Options();
    }

    /** With PyTorch's defaults: mode min, factor 0.1, patience 10, threshold 1e-4 (relative). */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, options());
    }

    public ReduceLROnPlateau(Optimizer optimizer, Options options) {
        super(optimizer, true);
        Objects.requireNonNull(options, "options");
        int groups = optimizer.paramGroups().size();
        if (options.minLrs.length == 1) {
            minLrs = new double[groups];
            Arrays.fill(minLrs, options.minLrs[0]);
        } else if (options.minLrs.length == groups) {
            minLrs = options.minLrs.clone();
        } else {
            throw new IllegalArgumentException("ReduceLROnPlateau: expected " + groups + " min lrs (one per param group), got "
                    + options.minLrs.length);
        }
        mode = options.mode;
        factor = options.factor;
        patience = options.patience;
        threshold = options.threshold;
        thresholdMode = options.thresholdMode;
        cooldown = options.cooldown;
        eps = options.eps;
        best = modeWorse();
        numBadEpochs = 0;
        cooldownCounter = 0;
    }

    /** Fails: this scheduler steps on a metric. */
    @Override
    public void step() {
        throw new IllegalStateException("ReduceLROnPlateau steps on a metric: call step(metric) with the value to watch");
    }

    /**
     * Records one epoch's metric and reduces the lrs when it has not improved for more than {@code patience} epochs.
     * As in PyTorch, a NaN metric is never an improvement: it counts as a bad epoch.
     */
    public void step(double metric) {
        requireGroupsUnchanged();
        long epoch = lastEpoch() + 1;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            reduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        recordEpoch(epoch);
    }

    private static List<Double> toList(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private void reduceLr() {
        for (int i = 0; i < groupCount(); i++) {
            ParamGroup group = group(i);
            double oldLr = group.lr();
            double newLr = Math.max(oldLr * factor, minLrs[i]);
            if (oldLr - newLr > eps) {
                group.setLr(newLr);
            }
        }
    }

    private boolean isBetter(double a, double best) {
        if (mode == Mode.MIN) {
            return thresholdMode == ThresholdMode.REL ? a < best * (1 - threshold) : a < best - threshold;
        }
        return thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1) : a > best + threshold;
    }

    private double modeWorse() {
        return mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** The best metric so far. */
    public double best() {
        return best;
    }

    /** The epochs since the last improvement, as counted toward {@code patience}. */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    @Override
    double[] computeLr() {
        return currentLrs();
    }

    @Override
    void saveState(Map<String, Object> into) {
        into.put("factor", factor);
        into.put("min_lrs", toList(minLrs));
        into.put("patience", patience);
        into.put("cooldown", cooldown);
        into.put("cooldown_counter", cooldownCounter);
        into.put("mode", mode.name().toLowerCase());
        into.put("threshold", threshold);
        into.put("threshold_mode", thresholdMode.name().toLowerCase());
        into.put("best", best);
        into.put("num_bad_epochs", numBadEpochs);
        into.put("mode_worse", modeWorse());
        into.put("eps", eps);
    }

    @Override
    Set<String> stateKeys() {
        return Set.of("factor", "min_lrs", "patience", "cooldown", "cooldown_counter", "mode", "threshold", "threshold_mode",
                "best", "num_bad_epochs", "mode_worse", "eps");
    }

    @Override
    void loadState(Map<String, ?> from) {
        String w = "ReduceLROnPlateau: ";
        double f = StateDicts.number(from.get("factor"), w + "factor");
        if (!(f >= 0 && f < 1)) {
            throw new IllegalArgumentException(w + "factor must be in [0, 1), not " + f);
        }
        double[] mins = doubles(from.get("min_lrs"), w + "min_lrs", groupCount());
        int p = count(from, "patience");
        int c = count(from, "cooldown");
        int cc = count(from, "cooldown_counter");
        Mode m = enumValue(Mode.class, from.get("mode"), w + "mode");
        double t = nonNegative(StateDicts.number(from.get("threshold"), w + "threshold"), w + "threshold");
        ThresholdMode tm = enumValue(ThresholdMode.class, from.get("threshold_mode"), w + "threshold_mode");
        double b = StateDicts.number(from.get("best"), w + "best");
        int bad = count(from, "num_bad_epochs");
        StateDicts.number(from.get("mode_worse"), w + "mode_worse");
        double e = nonNegative(StateDicts.number(from.get("eps"), w + "eps"), w + "eps");
        factor = f;
        minLrs = mins;
        patience = p;
        cooldown = c;
        cooldownCounter = cc;
        mode = m;
        threshold = t;
        thresholdMode = tm;
        best = b;
        numBadEpochs = bad;
        eps = e;
    }

    private static int count(Map<String, ?> from, String key) {
        long value = StateDicts.integral(from.get(key), "ReduceLROnPlateau: " + key);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ReduceLROnPlateau: " + key + " must be an int >= 0, not " + value);
        }
        return (int) value;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, Object value, String where) {
        if (value instanceof String name) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(name)) {
                    return constant;
                }
            }
        }
        throw new IllegalArgumentException(where + " must be one of " + Arrays.toString(type.getEnumConstants()).toLowerCase()
                + ", not " + value);
    }
}
