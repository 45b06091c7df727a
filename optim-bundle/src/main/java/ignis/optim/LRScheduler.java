package ignis.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The base of the learning-rate schedulers, as PyTorch's {@code torch.optim.lr_scheduler.LRScheduler}:
 * made after the optimizer, stepped once per epoch (or per batch) after {@code optimizer.step()},
 * it writes each param group's {@code lr}.
 *
 * <p>On construction it records each group's {@code initial_lr} (keeping one already there) as the
 * base learning rates and takes the initial step, so that the groups hold the lr of epoch 0. Each
 * {@link #step()} then advances the epoch and writes the new lr. The updates are PyTorch's chainable
 * forms (the new lr computed from the group's current lr), so that schedulers made on the same
 * optimizer compose as in PyTorch; alone, each follows its documented closed form.
 */
public abstract sealed class LRScheduler
        permits StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LambdaLR, LinearLR, OneCycleLR, ReduceLROnPlateau {

    private static final Set<String> PYTORCH_INTERNALS = Set.of("verbose", "_get_lr_called_within_step", "_is_initial",
            "lr_lambdas", "default_min_lr");

    private final Optimizer optimizer;
    /** The lr each group starts from; null for {@link ReduceLROnPlateau}, which has none. */
    private double[] baseLrs;
    private long lastEpoch;
    private long stepCount;
    private double[] lastLr;

    /** An epoch-driven scheduler: {@code initial_lr} set and base lrs recorded; the subclass then calls {@link #initialStep()}. */
    LRScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup group = groups.get(i);
            if (!group.has("initial_lr")) {
                group.set("initial_lr", group.lr());
            }
            baseLrs[i] = group.getDouble("initial_lr");
        }
        lastEpoch = -1;
        lastLr = currentLrs();
    }

    /** A metric-driven scheduler ({@link ReduceLROnPlateau}): no base lrs, epoch 0. */
    LRScheduler(Optimizer optimizer, boolean metricDriven) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        baseLrs = null;
        lastEpoch = 0;
        lastLr = currentLrs();
    }

    /** The lr of each group at {@link #lastEpoch()}, computed from the groups' current lrs (PyTorch's {@code get_lr}). */
    abstract double[] computeLr();

    /** The scheduler's own entries of its state dict, by PyTorch's names. */
    abstract void saveState(Map<String, Object> into);

    /** The keys {@link #saveState} writes, all of which {@link #loadState} needs. */
    abstract Set<String> stateKeys();

    /** Checks every entry of {@link #stateKeys()} in {@code from} and only then takes them over. */
    abstract void loadState(Map<String, ?> from);

    /** PyTorch's {@code _initial_step}: the step to epoch 0 that every epoch-driven scheduler takes when made. */
    final void initialStep() {
        stepCount = 0;
        step();
    }

    /**
     * Advances one epoch and writes each group's new lr. When that fails (a lambda giving a negative
     * factor, OneCycleLR stepped past its end) the epoch and the lrs stay as they were; PyTorch would
     * have advanced the epoch.
     */
    public void step() {
        requireGroupsUnchanged();
        double[] before = currentLrs();
        stepCount++;
        lastEpoch++;
        List<ParamGroup> groups = optimizer.paramGroups();
        try {
            double[] lrs = computeLr();
            for (int i = 0; i < groups.size(); i++) {
                groups.get(i).setLr(lrs[i]);
            }
        } catch (RuntimeException e) {
            stepCount--;
            lastEpoch--;
            for (int i = 0; i < groups.size(); i++) {
                groups.get(i).setLr(before[i]);
            }
            throw e;
        }
        lastLr = currentLrs();
    }

    /** The lr of each group as the last step (or the construction) left it, as PyTorch's {@code get_last_lr()}. */
    public List<Double> lastLr() {
        List<Double> out = new ArrayList<>(lastLr.length);
        for (double lr : lastLr) {
            out.add(lr);
        }
        return Collections.unmodifiableList(out);
    }

    /** The epoch the groups' lrs are for: 0 after construction, +1 per step. */
    public long lastEpoch() {
        return lastEpoch;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The {@code initial_lr} of each group. */
    List<Double> baseLrs() {
        List<Double> out = new ArrayList<>();
        for (double lr : baseLrs) {
            out.add(lr);
        }
        return out;
    }

    double baseLr(int group) {
        return baseLrs[group];
    }

    long stepCount() {
        return stepCount;
    }

    /** For a metric-driven scheduler: the epoch just stepped, with the groups' lrs as they are now. */
    void recordEpoch(long epoch) {
        lastEpoch = epoch;
        lastLr = currentLrs();
    }

    double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = groups.get(i).lr();
        }
        return out;
    }

    int groupCount() {
        return optimizer.paramGroups().size();
    }

    ParamGroup group(int i) {
        return optimizer.paramGroups().get(i);
    }

    void requireGroupsUnchanged() {
        int expected = baseLrs != null ? baseLrs.length : lastLr.length;
        if (groupCount() != expected) {
            throw new IllegalStateException(getClass().getSimpleName() + " was made for " + expected
                    + " param groups, but the optimizer now has " + groupCount() + ": make the scheduler after adding groups");
        }
    }

    // ---- state dicts --------------------------------------------------------------------------

    /**
     * The scheduler's state as PyTorch's {@code scheduler.state_dict()}: its hyper-parameters and
     * counters by PyTorch's names (numbers as Java numbers, lists as Lists), without the optimizer, whose
     * own state dict holds the groups' lrs.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        saveState(out);
        if (baseLrs != null) {
            out.put("base_lrs", baseLrs());
            out.put("_step_count", stepCount);
        }
        out.put("last_epoch", lastEpoch);
        out.put("_last_lr", lastLr());
        return out;
    }

    /**
     * Restores a state made by {@link #stateDict()} of a scheduler of this kind over as many param
     * groups; the hyper-parameters are taken over too, as in PyTorch. Checked in full first: on a
     * missing, unknown or ill-typed entry it fails with IllegalArgumentException and nothing changes.
     */
    public void loadStateDict(Map<String, ?> stateDict) {
        Objects.requireNonNull(stateDict, "stateDict");
        String name = getClass().getSimpleName();
        Set<String> expected = new LinkedHashSet<>(stateKeys());
        if (baseLrs != null) {
            expected.add("base_lrs");
            expected.add("_step_count");
        }
        expected.add("last_epoch");
        expected.add("_last_lr");
        for (String key : stateDict.keySet()) {
            if (!expected.contains(key) && !PYTORCH_INTERNALS.contains(key)) {
                throw new IllegalArgumentException(name + ": the state dict has the key '" + key + "', which " + name
                        + " does not have (its keys: " + expected + "; was it saved from another scheduler?)");
            }
        }
        for (String key : expected) {
            if (!stateDict.containsKey(key)) {
                throw new IllegalArgumentException(name + ": the state dict lacks '" + key + "' (it has " + stateDict.keySet() + ")");
            }
        }
        double[] loadedBase = baseLrs != null ? doubles(stateDict.get("base_lrs"), name + ": base_lrs", groupCount()) : null;
        long loadedStepCount = baseLrs != null ? StateDicts.integral(stateDict.get("_step_count"), name + ": _step_count") : 0;
        long loadedEpoch = StateDicts.integral(stateDict.get("last_epoch"), name + ": last_epoch");
        double[] loadedLast = doubles(stateDict.get("_last_lr"), name + ": _last_lr", groupCount());
        loadState(stateDict);
        if (baseLrs != null) {
            baseLrs = loadedBase;
            stepCount = loadedStepCount;
        }
        lastEpoch = loadedEpoch;
        lastLr = loadedLast;
    }

    /** A list of {@code count} numbers (or of any length when count is negative). */
    static double[] doubles(Object value, String where, int count) {
        List<?> list = StateDicts.list(value, where);
        if (count >= 0 && list.size() != count) {
            throw new IllegalArgumentException(where + " has " + list.size() + " values, but the optimizer has " + count
                    + " param groups");
        }
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = StateDicts.number(list.get(i), where + "[" + i + "]");
        }
        return out;
    }

    static double finite(double value, String what) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " must be finite, not " + value);
        }
        return value;
    }

    static double nonNegative(double value, String what) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " must be a finite number >= 0, not " + value);
        }
        return value;
    }

    static int positive(long value, String what) {
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " must be a positive int, not " + value);
        }
        return (int) value;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + stateDict();
    }
}
