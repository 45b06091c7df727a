package ignis.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The 1cycle policy, as {@code torch.optim.lr_scheduler.OneCycleLR}, stepped after every batch: the
 * lr rises from {@code max_lr / div_factor} to {@code max_lr} over the first {@code pct_start} of
 * {@code total_steps}, then anneals to {@code initial_lr / final_div_factor}; the momentum (or Adam's
 * beta1) cycles the other way between {@code max_momentum} and {@code base_momentum}. With
 * {@code threePhase} the lr first returns to {@code initial_lr} symmetrically, then anneals to the
 * minimum, as PyTorch's three-phase schedule.
 *
 * <p>{@code new OneCycleLR(opt, 0.1, 1000)}, or
 * {@code new OneCycleLR(opt, OneCycleLR.options(0.1, 1000).pctStart(0.25).annealStrategy(AnnealStrategy.LINEAR))}.
 * As in PyTorch, the groups get the keys {@code initial_lr}, {@code max_lr}, {@code min_lr} and, when
 * momentum cycles, {@code max_momentum} and {@code base_momentum}; stepping past {@code total_steps}
 * fails. Step {@code total_steps} itself, the scheduler step after the last batch's, keeps the
 * schedule's final values, where PyTorch's formulas run on past their end (the linear one to a negative lr,
 * which a param group rejects).
 */
public final class OneCycleLR extends LRScheduler {

    /** How the lr and momentum move within a phase. */
    public enum AnnealStrategy {
        /** {@code end + (start - end) / 2 * (1 + cos(pi * pct))}. */
        COS("cos"),
        /** {@code start + (end - start) * pct}. */
        LINEAR("linear");

        private final String pytorchName;

        AnnealStrategy(String pytorchName) {
            this.pytorchName = pytorchName;
        }

        double anneal(double start, double end, double pct) {
            return this == COS ? end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
        }

        static AnnealStrategy of(String name) {
            for (AnnealStrategy s : values()) {
                if (s.pytorchName.equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("OneCycleLR: anneal strategy must be 'cos' or 'linear', not " + name);
        }
    }

    /** OneCycleLR's options; those not set keep PyTorch's defaults. */
    public static final class Options {
        private final double[] maxLrs;
        private final int totalSteps;
        private double[] groupMaxLrs;
        private double pctStart = 0.3;
        private AnnealStrategy annealStrategy = AnnealStrategy.COS;
        private boolean cycleMomentum = true;
        private double baseMomentum = 0.85;
        private double maxMomentum = 0.95;
        private double divFactor = 25;
        private double finalDivFactor = 1e4;
        private boolean threePhase;

        private Options(double maxLr, int totalSteps) {
            if (!(maxLr > 0) || !Double.isFinite(maxLr)) {
                throw new IllegalArgumentException("OneCycleLR: maxLr must be a finite number > 0, not " + maxLr);
            }
            if (totalSteps <= 0) {
                throw new IllegalArgumentException("OneCycleLR: totalSteps must be a positive int, not " + totalSteps);
            }
            this.maxLrs = new double[] {maxLr};
            this.totalSteps = totalSteps;
        }

        /** A peak lr per param group, in order, instead of one for all. */
        public Options maxLrs(double... perGroup) {
            for (double lr : perGroup) {
                if (!(lr > 0) || !Double.isFinite(lr)) {
                    throw new IllegalArgumentException("OneCycleLR: every max lr must be a finite number > 0, not " + lr);
                }
            }
            this.groupMaxLrs = perGroup.clone();
            return this;
        }

        /** The fraction of the steps spent raising the lr, in [0, 1]; default 0.3. */
        public Options pctStart(double pctStart) {
            if (!(pctStart >= 0 && pctStart <= 1)) {
                throw new IllegalArgumentException("OneCycleLR: pctStart must be in [0, 1], not " + pctStart);
            }
            this.pctStart = pctStart;
            return this;
        }

        public Options annealStrategy(AnnealStrategy strategy) {
            this.annealStrategy = java.util.Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** Whether the momentum (or beta1) cycles inversely to the lr; default true. */
        public Options cycleMomentum(boolean cycleMomentum) {
            this.cycleMomentum = cycleMomentum;
            return this;
        }

        public Options baseMomentum(double baseMomentum) {
            this.baseMomentum = nonNegative(baseMomentum, "OneCycleLR: baseMomentum");
            return this;
        }

        public Options maxMomentum(double maxMomentum) {
            this.maxMomentum = nonNegative(maxMomentum, "OneCycleLR: maxMomentum");
            return this;
        }

        /** The starting lr is {@code max_lr / divFactor}; default 25. */
        public Options divFactor(double divFactor) {
            if (!(divFactor > 0) || !Double.isFinite(divFactor)) {
                throw new IllegalArgumentException("OneCycleLR: divFactor must be a finite number > 0, not " + divFactor);
            }
            this.divFactor = divFactor;
            return this;
        }

        /** The final lr is {@code initial_lr / finalDivFactor}; default 1e4. */
        public Options finalDivFactor(double finalDivFactor) {
            if (!(finalDivFactor > 0) || !Double.isFinite(finalDivFactor)) {
                throw new IllegalArgumentException("OneCycleLR: finalDivFactor must be a finite number > 0, not " + finalDivFactor);
            }
            this.finalDivFactor = finalDivFactor;
            return this;
        }

        public Options threePhase(boolean threePhase) {
            this.threePhase = threePhase;
            return this;
        }
    }

    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {
        Map<String, Object> toMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("end_step", endStep);
            out.put("start_lr", startLr);
            out.put("end_lr", endLr);
            out.put("start_momentum", startMomentum);
            out.put("end_momentum", endMomentum);
            return out;
        }
    }

    private static final Set<String> LR_KEYS = Set.of("initial_lr", "max_lr", "min_lr");
    private static final Set<String> MOMENTUM_KEYS = Set.of("max_momentum", "base_momentum");

    private int totalSteps;
    private List<Phase> phases;
    private AnnealStrategy annealStrategy;
    private boolean cycleMomentum;
    private boolean useBeta1;

    /** The peak lr and the number of steps (epochs times batches per epoch). */
    public static Options options(double maxLr, int totalSteps) {
        return new Options(maxLr, totalSteps);
    }

    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        this(optimizer, options(maxLr, totalSteps));
    }

    public OneCycleLR(Optimizer optimizer, Options options) {
        super(prepare(optimizer, options));
        this.totalSteps = options.totalSteps;
        this.annealStrategy = options.annealStrategy;
        this.cycleMomentum = options.cycleMomentum;
        this.useBeta1 = optimizer.defaults().containsKey("betas");
        double t = options.totalSteps;
        double p = options.pctStart;
        this.phases = options.threePhase
                ? List.of(new Phase(p * t - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                        new Phase(2 * p * t - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                        new Phase(t - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"))
                : List.of(new Phase(p * t - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                        new Phase(t - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"));
        initialStep();
    }

    /** PyTorch's constructor work before the base one: checks, then each group's lr and momentum keys. */
    private static Optimizer prepare(Optimizer optimizer, Options options) {
        java.util.Objects.requireNonNull(optimizer, "optimizer");
        java.util.Objects.requireNonNull(options, "options");
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] maxLrs = options.groupMaxLrs != null ? options.groupMaxLrs : null;
        if (maxLrs != null && maxLrs.length != groups.size()) {
            throw new IllegalArgumentException("OneCycleLR: expected " + groups.size() + " max lrs (one per param group), got " + maxLrs.length);
        }
        boolean useBeta1 = optimizer.defaults().containsKey("betas");
        if (options.cycleMomentum) {
            if (!useBeta1 && !optimizer.defaults().containsKey("momentum")) {
                throw new IllegalArgumentException("OneCycleLR: the optimizer has neither momentum nor betas; "
                        + "use cycleMomentum(false) with it");
            }
            if (useBeta1 && (options.maxMomentum >= 1 || options.baseMomentum >= 1)) {
                throw new IllegalArgumentException("OneCycleLR: with Adam's betas the momenta must be below 1, not base "
                        + options.baseMomentum + " and max " + options.maxMomentum);
            }
        }
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup group = groups.get(i);
            double maxLr = maxLrs != null ? maxLrs[i] : options.maxLrs[0];
            double initialLr = maxLr / options.divFactor;
            group.set("initial_lr", initialLr);
            group.set("max_lr", maxLr);
            group.set("min_lr", initialLr / options.finalDivFactor);
            if (options.cycleMomentum) {
                if (useBeta1) {
                    double[] betas = group.getDoubles("betas");
                    group.set("betas", List.of(options.maxMomentum, betas[1]));
                } else {
                    group.set("momentum", options.maxMomentum);
                }
                group.set("max_momentum", options.maxMomentum);
                group.set("base_momentum", options.baseMomentum);
            }
        }
        return optimizer;
    }

    @Override
    double[] computeLr() {
        long stepNum = lastEpoch();
        if (stepNum > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + stepNum + " times; the schedule has " + totalSteps
                    + " total steps");
        }
        double[] lrs = new double[groupCount()];
        for (int g = 0; g < lrs.length; g++) {
            ParamGroup group = group(g);
            double startStep = 0;
            for (int i = 0; i < phases.size(); i++) {
                Phase phase = phases.get(i);
                if (stepNum <= phase.endStep() || i == phases.size() - 1) {
                    double pct = Math.min(1, (stepNum - startStep) / (phase.endStep() - startStep));
                    lrs[g] = annealStrategy.anneal(group.getDouble(phase.startLr()), group.getDouble(phase.endLr()), pct);
                    if (cycleMomentum) {
                        double momentum = annealStrategy.anneal(group.getDouble(phase.startMomentum()),
                                group.getDouble(phase.endMomentum()), pct);
                        if (useBeta1) {
                            group.set("betas", List.of(momentum, group.getDoubles("betas")[1]));
                        } else {
                            group.set("momentum", momentum);
                        }
                    }
                    break;
                }
                startStep = phase.endStep();
            }
        }
        return lrs;
    }

    @Override
    void saveState(Map<String, Object> into) {
        into.put("total_steps", totalSteps);
        List<Object> packed = new ArrayList<>();
        phases.forEach(p -> packed.add(p.toMap()));
        into.put("_schedule_phases", packed);
        into.put("_anneal_func_type", annealStrategy.pytorchName);
        into.put("cycle_momentum", cycleMomentum);
        into.put("use_beta1", useBeta1);
    }

    @Override
    Set<String> stateKeys() {
        return Set.of("total_steps", "_schedule_phases", "_anneal_func_type", "cycle_momentum", "use_beta1");
    }

    @Override
    void loadState(Map<String, ?> from) {
        int total = positive(StateDicts.integral(from.get("total_steps"), "OneCycleLR: total_steps"), "OneCycleLR: total_steps");
        List<?> saved = StateDicts.list(from.get("_schedule_phases"), "OneCycleLR: _schedule_phases");
        if (saved.size() != 2 && saved.size() != 3) {
            throw new IllegalArgumentException("OneCycleLR: _schedule_phases has " + saved.size() + " phases, not 2 or 3");
        }
        List<Phase> loaded = new ArrayList<>();
        for (int i = 0; i < saved.size(); i++) {
            String where = "OneCycleLR: _schedule_phases[" + i + "]";
            Map<?, ?> phase = StateDicts.map(saved.get(i), where);
            loaded.add(new Phase(StateDicts.number(phase.get("end_step"), where + ".end_step"),
                    key(phase, "start_lr", LR_KEYS, where), key(phase, "end_lr", LR_KEYS, where),
                    key(phase, "start_momentum", MOMENTUM_KEYS, where), key(phase, "end_momentum", MOMENTUM_KEYS, where)));
        }
        if (!(from.get("_anneal_func_type") instanceof String strategy)) {
            throw new IllegalArgumentException("OneCycleLR: _anneal_func_type must be 'cos' or 'linear', not " + from.get("_anneal_func_type"));
        }
        AnnealStrategy anneal = AnnealStrategy.of(strategy);
        boolean cycle = flag(from, "cycle_momentum");
        boolean beta1 = flag(from, "use_beta1");
        totalSteps = total;
        phases = List.copyOf(loaded);
        annealStrategy = anneal;
        cycleMomentum = cycle;
        useBeta1 = beta1;
    }

    private static String key(Map<?, ?> phase, String name, Set<String> allowed, String where) {
        if (phase.get(name) instanceof String value && allowed.contains(value)) {
            return value;
        }
        throw new IllegalArgumentException(where + "." + name + " must be one of " + allowed + ", not " + phase.get(name));
    }

    private static boolean flag(Map<String, ?> from, String key) {
        if (from.get(key) instanceof Boolean value) {
            return value;
        }
        throw new IllegalArgumentException("OneCycleLR: " + key + " must be a boolean, not " + from.get(key));
    }
}
