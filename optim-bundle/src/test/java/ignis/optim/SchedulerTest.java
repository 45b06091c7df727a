package ignis.optim;

import static ignis.optim.OptimTesting.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each scheduler against the closed form in the torch.optim.lr_scheduler documentation, over two param groups. */
@ExtendWith(NoLeakedTensors.class)
class SchedulerTest {

    private static final double BASE0 = 0.1;
    private static final double BASE1 = 0.02;

    private TensorScope scope;

    @BeforeEach
    void openScope() {
        scope = Tensors.scope();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    private static SGD sgd(double momentum) {
        Tensor a = param(new double[] {1}, 1);
        Tensor b = param(new double[] {2}, 1);
        return new SGD(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b), SGD.options().lr(BASE1))),
                SGD.options().lr(BASE0).momentum(momentum));
    }

    /** Steps {@code epochs} times, checking each group's lr against {@code closedForm(base, epoch)} from epoch 0 on. */
    private static void follows(LRScheduler scheduler, int epochs, ClosedForm closedForm) {
        Optimizer optimizer = scheduler.optimizer();
        for (int epoch = 0; epoch <= epochs; epoch++) {
            if (epoch > 0) {
                optimizer.step();
                scheduler.step();
            }
            assertEquals(epoch, scheduler.lastEpoch());
            double[] bases = {BASE0, BASE1};
            for (int g = 0; g < 2; g++) {
                double expected = closedForm.lr(bases[g], epoch);
                double actual = optimizer.paramGroups().get(g).lr();
                if (!(Math.abs(expected - actual) <= 1e-12 * Math.max(1, Math.abs(expected)))) {
                    fail("epoch " + epoch + ", group " + g + ": expected lr " + expected + ", got " + actual);
                }
                assertEquals(actual, scheduler.lastLr().get(g), "lastLr() is the group's lr");
            }
        }
    }

    @FunctionalInterface
    private interface ClosedForm {
        double lr(double base, long epoch);
    }

    @Test
    void stepLR() {
        try (SGD opt = sgd(0)) {
            follows(new StepLR(opt, 3, 0.5), 15, (base, e) -> base * Math.pow(0.5, Math.floorDiv(e, 3)));
        }
    }

    @Test
    void stepLRDefaultGamma() {
        try (SGD opt = sgd(0)) {
            follows(new StepLR(opt, 4), 12, (base, e) -> base * Math.pow(0.1, e / 4));
        }
    }

    @Test
    void multiStepLRCountsRepeatedMilestones() {
        int[] milestones = {2, 5, 5, 9};
        try (SGD opt = sgd(0)) {
            follows(new MultiStepLR(opt, List.of(9, 5, 2, 5), 0.1), 12, (base, e) -> {
                int passed = 0; // bisect_right(sorted milestones, epoch)
                for (int m : milestones) {
                    if (m <= e) {
                        passed++;
                    }
                }
                return base * Math.pow(0.1, passed);
            });
        }
    }

    @Test
    void exponentialLR() {
        try (SGD opt = sgd(0)) {
            follows(new ExponentialLR(opt, 0.9), 15, (base, e) -> base * Math.pow(0.9, e));
        }
    }

    @Test
    void cosineAnnealingLRBeyondTMax() {
        double etaMin = 0.001;
        try (SGD opt = sgd(0)) {
            follows(new CosineAnnealingLR(opt, 6, etaMin), 25,
                    (base, e) -> etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * e / 6)) / 2);
        }
    }

    @Test
    void cosineAnnealingLRToZero() {
        try (SGD opt = sgd(0)) {
            follows(new CosineAnnealingLR(opt, 10), 10, (base, e) -> base * (1 + Math.cos(Math.PI * e / 10)) / 2);
            assertEquals(0, opt.paramGroups().get(0).lr(), 1e-18);
        }
    }

    @Test
    void lambdaLRPerGroup() {
        LongToDoubleFunction first = e -> 1.0 / (1 + e);
        LongToDoubleFunction second = e -> Math.pow(0.95, e);
        try (SGD opt = sgd(0)) {
            LambdaLR scheduler = new LambdaLR(opt, List.of(first, second));
            follows(scheduler, 12, (base, e) -> base * (base == BASE0 ? first.applyAsDouble(e) : second.applyAsDouble(e)));
        }
    }

    @Test
    void lambdaLROneFunction() {
        try (SGD opt = sgd(0)) {
            follows(new LambdaLR(opt, e -> e < 3 ? (e + 1) / 3.0 : 1.0), 10, (base, e) -> base * (e < 3 ? (e + 1) / 3.0 : 1.0));
        }
    }

    @Test
    void linearLRWarmUp() {
        try (SGD opt = sgd(0)) {
            follows(new LinearLR(opt, 0.25, 1.0, 4), 12, (base, e) -> base * (0.25 + 0.75 * Math.min(e, 4) / 4.0));
        }
    }

    @Test
    void linearLRDefaultsAndDecay() {
        try (SGD opt = sgd(0)) {
            follows(new LinearLR(opt), 10, (base, e) -> base * (1.0 / 3 + (1 - 1.0 / 3) * Math.min(e, 5) / 5.0));
        }
        try (SGD opt = sgd(0)) {
            follows(new LinearLR(opt, 1.0, 0.1, 5), 10, (base, e) -> base * (1.0 - 0.9 * Math.min(e, 5) / 5.0));
        }
    }

    @Test
    void chainedSchedulersMultiply() {
        try (SGD opt = sgd(0)) {
            ExponentialLR exponential = new ExponentialLR(opt, 0.9);
            StepLR step = new StepLR(opt, 3, 0.5);
            for (int e = 1; e <= 12; e++) {
                opt.step();
                exponential.step();
                step.step();
                double expected = BASE0 * Math.pow(0.9, e) * Math.pow(0.5, e / 3);
                assertEquals(expected, opt.paramGroups().get(0).lr(), 1e-15, "epoch " + e);
            }
        }
    }

    /**
     * Mixed with another scheduler, CosineAnnealingLR follows PyTorch's recursive form, which then
     * differs from its closed form. The values are torch 1.13's: SGD(lr=0.1, momentum=0.9),
     * CosineAnnealingLR(opt, 5, 0.01) and ExponentialLR(opt, 0.9) made in that order, then
     * opt.step(); cos.step(); exp.step() per epoch, reading param_groups[0]['lr'].
     */
    @Test
    void chainedCosineFollowsTheRecursiveForm() {
        double[] pytorch = {0.1, 0.08226518827218537, 0.05606242332699186, 0.030883227389916886, 0.014194783882453033,
            0.009000000000000001, 0.01583481172781463, 0.027999492434270853, 0.03968885510251198, 0.04592608979814074,
            0.044747017213067744, 0.03728607508902528, 0.026769950476501547};
        try (SGD opt = new SGD(List.of(param(new double[] {1}, 1)), SGD.options().lr(BASE0).momentum(0.9))) {
            CosineAnnealingLR cosine = new CosineAnnealingLR(opt, 5, 0.01);
            ExponentialLR exponential = new ExponentialLR(opt, 0.9);
            assertEquals(pytorch[0], opt.paramGroups().get(0).lr());
            for (int e = 1; e < pytorch.length; e++) {
                opt.step();
                cosine.step();
                exponential.step();
                assertEquals(pytorch[e], opt.paramGroups().get(0).lr(), 1e-15, "epoch " + e);
            }
            double closedForm = 0.01 + (BASE0 - 0.01) * (1 + Math.cos(Math.PI * 12 / 5)) / 2;
            assertTrue(Math.abs(closedForm * Math.pow(0.9, 12) - pytorch[12]) > 1e-3, "the closed forms' product differs");
        }
        // From lr 0.02 the decay takes the lr below eta_min, and the recursive form then extrapolates below zero: torch 1.13
        // sets lr -0.0015497522022354002 at epoch 9 without a word (and SGD then climbs the loss); here that step fails.
        try (SGD opt = new SGD(List.of(param(new double[] {1}, 1)), 0.02)) {
            CosineAnnealingLR cosine = new CosineAnnealingLR(opt, 5, 0.01);
            ExponentialLR exponential = new ExponentialLR(opt, 0.9);
            for (int e = 1; e < 9; e++) {
                cosine.step();
                exponential.step();
            }
            assertEquals(0.0015179195465385052, opt.paramGroups().get(0).lr(), 1e-15, "torch 1.13's lr at epoch 8");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, cosine::step);
            assertTrue(e.getMessage().contains("invalid learning rate (lr): -0.00172"), e.getMessage());
        }
    }

    @Test
    void warmUpThenMilestonesListedTwice() {
        // By hand: the warm-up 0.25 -> 1 over 3 epochs gives 0.025, 0.05, 0.075, 0.1; milestone 4 halves it; 6, listed twice,
        // quarters it. torch 1.13 gives the same with LinearLR(opt, 0.25, 1.0, 3) and MultiStepLR(opt, [4, 6, 6], 0.5).
        double[] expected = {0.025, 0.05, 0.075, 0.1, 0.05, 0.05, 0.0125, 0.0125, 0.0125, 0.0125};
        try (SGD opt = sgd(0)) {
            LinearLR warmUp = new LinearLR(opt, 0.25, 1.0, 3);
            MultiStepLR milestones = new MultiStepLR(opt, List.of(4, 6, 6), 0.5);
            for (int e = 0; e < expected.length; e++) {
                if (e > 0) {
                    opt.step();
                    warmUp.step();
                    milestones.step();
                }
                assertEquals(expected[e], opt.paramGroups().get(0).lr(), 1e-15, "epoch " + e);
                assertEquals(expected[e] * BASE1 / BASE0, opt.paramGroups().get(1).lr(), 1e-15, "epoch " + e);
            }
        }
    }

    @Test
    void aFailedStepChangesNothing() {
        try (SGD opt = sgd(0)) {
            // The second group's lambda turns negative at epoch 2: the first group's lr must not be written either.
            LambdaLR scheduler = new LambdaLR(opt, List.of(e -> 1.0 / (e + 1), e -> 1.0 - e));
            scheduler.step();
            Map<String, Object> before = scheduler.stateDict();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, scheduler::step);
            assertTrue(e.getMessage().contains("-0.02"), e.getMessage());
            assertEquals(before, scheduler.stateDict());
            assertEquals(List.of(BASE0 / 2, 0.0), List.of(opt.paramGroups().get(0).lr(), opt.paramGroups().get(1).lr()));
        }
        try (SGD opt = sgd(0.9)) {
            OneCycleLR scheduler = new OneCycleLR(opt, 0.1, 3);
            for (int s = 0; s < 3; s++) {
                scheduler.step();
            }
            Map<String, Object> before = scheduler.stateDict();
            double momentum = opt.paramGroups().get(0).getDouble("momentum");
            for (int attempt = 0; attempt < 2; attempt++) {
                IllegalStateException e = assertThrows(IllegalStateException.class, scheduler::step);
                assertTrue(e.getMessage().contains("step 4 times"), e.getMessage());
            }
            assertEquals(before, scheduler.stateDict());
            assertEquals(3, scheduler.lastEpoch());
            assertEquals(momentum, opt.paramGroups().get(0).getDouble("momentum"));
        }
    }

    // ---- OneCycleLR -----------------------------------------------------------------------------

    private static double cos(double start, double end, double pct) {
        return end + (start - end) * (1 + Math.cos(Math.PI * pct)) / 2;
    }

    private static double linear(double start, double end, double pct) {
        return start + (end - start) * pct;
    }

    @Test
    void oneCycleLRCosineWithMomentum() {
        int total = 20;
        double maxLr = 1.0;
        double initial = maxLr / 25;
        double min = initial / 1e4;
        double up = 0.3 * total - 1; // the step where the lr peaks
        try (SGD opt = sgd(0.9)) {
            OneCycleLR scheduler = new OneCycleLR(opt, maxLr, total);
            ParamGroup group = opt.paramGroups().get(0);
            assertEquals(initial, group.getDouble("initial_lr"));
            assertEquals(maxLr, group.getDouble("max_lr"));
            assertEquals(min, group.getDouble("min_lr"));
            for (int s = 0; s < total; s++) {
                if (s > 0) {
                    opt.step();
                    scheduler.step();
                }
                double lr = s <= up ? cos(initial, maxLr, s / up) : cos(maxLr, min, (s - up) / (total - 1 - up));
                double momentum = s <= up ? cos(0.95, 0.85, s / up) : cos(0.85, 0.95, (s - up) / (total - 1 - up));
                assertEquals(lr, group.lr(), 1e-12, "lr at step " + s);
                assertEquals(momentum, group.getDouble("momentum"), 1e-12, "momentum at step " + s);
                assertEquals(lr, opt.paramGroups().get(1).lr(), 1e-12, "one max lr for every group");
            }
            assertEquals(min, group.lr(), 1e-15, "ends at the minimum");
            scheduler.step(); // step total_steps is still allowed, as in PyTorch
            assertEquals(min, group.lr(), 1e-15, "the minimum stays at step total_steps");
            IllegalStateException e = assertThrows(IllegalStateException.class, scheduler::step);
            assertTrue(e.getMessage().contains("21"), e.getMessage());
        }
    }

    @Test
    void oneCycleLRLinearWithAdamBetas() {
        int total = 16;
        double initial = 0.5 / 10;
        double min = initial / 100;
        double up = 0.25 * total - 1;
        try (Adam opt = new Adam(List.of(param(new double[] {1}, 1)), Adam.options().betas(0.9, 0.99))) {
            OneCycleLR scheduler = new OneCycleLR(opt, OneCycleLR.options(0.5, total).pctStart(0.25)
                    .annealStrategy(OneCycleLR.AnnealStrategy.LINEAR).divFactor(10).finalDivFactor(100).baseMomentum(0.8).maxMomentum(0.9));
            ParamGroup group = opt.paramGroups().get(0);
            for (int s = 0; s < total; s++) {
                if (s > 0) {
                    scheduler.step();
                }
                double lr = s <= up ? linear(initial, 0.5, s / up) : linear(0.5, min, (s - up) / (total - 1 - up));
                double beta1 = s <= up ? linear(0.9, 0.8, s / up) : linear(0.8, 0.9, (s - up) / (total - 1 - up));
                assertEquals(lr, group.lr(), 1e-12, "lr at step " + s);
                assertEquals(beta1, group.getDoubles("betas")[0], 1e-12, "beta1 at step " + s);
                assertEquals(0.99, group.getDoubles("betas")[1], "beta2 stays");
            }
            // The step after the last batch's, as a loop of optimizer.step(); scheduler.step() takes: the final
            // values stay (PyTorch's linear formula runs on to a negative lr there).
            scheduler.step();
            assertEquals(min, group.lr(), 1e-15, "lr at step total_steps");
            assertEquals(0.9, group.getDoubles("betas")[0], 1e-15, "beta1 at step total_steps");
        }
    }

    @Test
    void oneCycleLRThreePhase() {
        int total = 30;
        double maxLr = 0.3;
        double initial = maxLr / 25;
        double min = initial / 1e4;
        double end1 = 0.3 * total - 1;
        double end2 = 2 * 0.3 * total - 2;
        try (SGD opt = sgd(0)) {
            OneCycleLR scheduler = new OneCycleLR(opt, OneCycleLR.options(maxLr, total).threePhase(true).cycleMomentum(false)
                    .maxLrs(maxLr, maxLr / 2));
            for (int s = 0; s < total; s++) {
                if (s > 0) {
                    scheduler.step();
                }
                double expected = s <= end1 ? cos(initial, maxLr, s / end1)
                        : s <= end2 ? cos(maxLr, initial, (s - end1) / (end2 - end1))
                        : cos(initial, min, (s - end2) / (total - 1 - end2));
                assertEquals(expected, opt.paramGroups().get(0).lr(), 1e-12, "step " + s);
                assertEquals(expected / 2, opt.paramGroups().get(1).lr(), 1e-12, "step " + s);
                assertEquals(0.0, opt.paramGroups().get(0).getDouble("momentum"), "no cycling");
            }
        }
    }

    @Test
    void oneCycleLRNeedsMomentumToCycle() {
        try (Adagrad opt = new Adagrad(List.of(param(new double[] {1}, 1)), 0.1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(opt, 0.1, 10));
            assertTrue(e.getMessage().contains("cycleMomentum(false)"), e.getMessage());
            new OneCycleLR(opt, OneCycleLR.options(0.1, 10).cycleMomentum(false));
        }
    }

    // ---- ReduceLROnPlateau ------------------------------------------------------------------------

    private static void plateau(ReduceLROnPlateau.Options options, double[] metrics, double[] expectedLrs) {
        try (SGD opt = new SGD(List.of(param(new double[] {1}, 1)), 1.0)) {
            ReduceLROnPlateau scheduler = new ReduceLROnPlateau(opt, options);
            assertEquals(List.of(1.0), scheduler.lastLr());
            for (int i = 0; i < metrics.length; i++) {
                scheduler.step(metrics[i]);
                assertEquals(expectedLrs[i], opt.paramGroups().get(0).lr(), 1e-15, "epoch " + (i + 1) + ", metric " + metrics[i]);
                assertEquals(expectedLrs[i], scheduler.lastLr().get(0), 1e-15);
                assertEquals(i + 1, scheduler.lastEpoch());
            }
        }
    }

    @Test
    void plateauMinRelative() {
        // best 10, 9; then 9 is not below 9 * (1 - 1e-4): bad epochs 1, 2, 3 > patience 2 -> halve; again after 8.
        plateau(ReduceLROnPlateau.options().factor(0.5).patience(2),
                new double[] {10, 9, 9, 9, 9, 9, 9, 8, 8, 8, 8},
                new double[] {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25});
    }

    @Test
    void plateauMaxAbsoluteWithCooldownAndMinLr() {
        // 0.55 does not beat 0.5 + 0.1; 0.7 does; then two bad epochs (> patience 1) reduce, cooldown 2 ignores the next two,
        // the floor 0.005 stops the third reduction at 0.005, and a fourth changes nothing.
        double[] metrics = new double[17];
        java.util.Arrays.fill(metrics, 0.6);
        metrics[0] = 0.5;
        metrics[1] = 0.55;
        metrics[2] = 0.7;
        metrics[3] = 0.65;
        plateau(ReduceLROnPlateau.options().mode(ReduceLROnPlateau.Mode.MAX).thresholdMode(ReduceLROnPlateau.ThresholdMode.ABS)
                        .threshold(0.1).patience(1).cooldown(2).minLr(0.005),
                metrics,
                new double[] {1, 1, 1, 1, 0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.005, 0.005});
    }

    @Test
    void plateauThresholdModes() {
        double[] halving = {1, 0.5, 0.5, 0.25, 0.25};
        // min, rel 0.1: 0.95 is not below 0.9; 0.89 is; 0.85 is not below 0.801; 0.79 is.
        plateau(ReduceLROnPlateau.options().factor(0.5).patience(0).threshold(0.1),
                new double[] {1.0, 0.95, 0.89, 0.85, 0.79}, halving);
        // max, rel 0.1: 1.05 is not above 1.1; 1.11 is; 1.2 is not above 1.221; 1.33 is.
        plateau(ReduceLROnPlateau.options().mode(ReduceLROnPlateau.Mode.MAX).factor(0.5).patience(0).threshold(0.1),
                new double[] {1.0, 1.05, 1.11, 1.2, 1.33}, halving);
        // min, abs 0.5: 9.6 is not below 9.5; 9.4 is; 9.0 is not below 8.9; 8.8 is.
        plateau(ReduceLROnPlateau.options().factor(0.5).patience(0).threshold(0.5).thresholdMode(ReduceLROnPlateau.ThresholdMode.ABS),
                new double[] {10, 9.6, 9.4, 9.0, 8.8}, halving);
    }

    @Test
    void plateauStepsOnAMetric() {
        try (SGD opt = sgd(0)) {
            ReduceLROnPlateau scheduler = new ReduceLROnPlateau(opt);
            assertThrows(IllegalStateException.class, scheduler::step);
        }
    }

    /** Steps on the metrics and checks the lr, best and bad-epoch count after each step. */
    private static void plateauTrace(ReduceLROnPlateau.Options options, double[] metrics, double[] lrs, double[] bests, int[] badEpochs) {
        try (SGD opt = new SGD(List.of(param(new double[] {1}, 1)), 1.0)) {
            ReduceLROnPlateau scheduler = new ReduceLROnPlateau(opt, options);
            for (int i = 0; i < metrics.length; i++) {
                scheduler.step(metrics[i]);
                String where = "epoch " + (i + 1) + ", metric " + metrics[i];
                assertEquals(lrs[i], opt.paramGroups().get(0).lr(), 0, where);
                assertEquals(bests[i], scheduler.best(), 0, where);
                assertEquals(badEpochs[i], scheduler.numBadEpochs(), where);
            }
        }
    }

    @Test
    void plateauCountsNaNAsABadEpochAndTakesInfinities() {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        // torch 1.13, ReduceLROnPlateau(SGD(lr=1), factor=0.5, patience=1, ...): lr, best, num_bad_epochs after each step(metric)
        plateauTrace(ReduceLROnPlateau.options().factor(0.5).patience(1),
                new double[] {1.0, nan, nan, nan, 0.5, nan},
                new double[] {1, 1, 0.5, 0.5, 0.5, 0.5},
                new double[] {1, 1, 1, 1, 0.5, 0.5},
                new int[] {0, 1, 0, 1, 0, 1});
        plateauTrace(ReduceLROnPlateau.options().factor(0.5).patience(1),
                new double[] {nan, nan, nan},
                new double[] {1, 0.5, 0.5},
                new double[] {inf, inf, inf},
                new int[] {1, 0, 1});
        plateauTrace(ReduceLROnPlateau.options().factor(0.5).patience(1),
                new double[] {inf, inf, 5.0, -inf, -inf, -inf, 3.0},
                new double[] {1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25},
                new double[] {inf, inf, 5, -inf, -inf, -inf, -inf},
                new int[] {1, 0, 0, 0, 1, 0, 1});
        plateauTrace(ReduceLROnPlateau.options().mode(ReduceLROnPlateau.Mode.MAX).factor(0.5).patience(1),
                new double[] {nan, -inf, inf, inf, inf},
                new double[] {1, 0.5, 0.5, 0.5, 0.25},
                new double[] {-inf, -inf, inf, inf, inf},
                new int[] {1, 0, 0, 1, 0});
        plateauTrace(ReduceLROnPlateau.options().factor(0.5).patience(1).thresholdMode(ReduceLROnPlateau.ThresholdMode.ABS),
                new double[] {nan, 1.0, nan, nan},
                new double[] {1, 1, 1, 0.5},
                new double[] {inf, 1, 1, 1},
                new int[] {1, 0, 1, 0});
    }

    // ---- state dicts ----------------------------------------------------------------------------

    private static void roundTrip(Function<Optimizer, LRScheduler> make, boolean metric) {
        double[] metrics = {5, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3};
        try (SGD first = sgd(0.9); SGD second = sgd(0.9)) {
            LRScheduler a = make.apply(first);
            LRScheduler b = make.apply(second);
            for (int e = 0; e < 5; e++) {
                stepScheduler(a, metric, metrics[e]);
            }
            second.loadStateDict(first.stateDict());
            Map<String, Object> saved = a.stateDict();
            b.loadStateDict(saved);
            assertEquals(a.stateDict(), b.stateDict());
            for (int e = 5; e < metrics.length; e++) {
                stepScheduler(a, metric, metrics[e]);
                stepScheduler(b, metric, metrics[e]);
                assertEquals(a.lastLr(), b.lastLr(), "epoch " + e);
                assertEquals(first.paramGroups().get(0).options(), second.paramGroups().get(0).options());
            }
        }
    }

    private static void stepScheduler(LRScheduler scheduler, boolean metric, double value) {
        if (metric) {
            ((ReduceLROnPlateau) scheduler).step(value);
        } else {
            scheduler.step();
        }
    }

    @Test
    void stateDictRoundTrips() {
        roundTrip(opt -> new StepLR(opt, 2, 0.5), false);
        roundTrip(opt -> new MultiStepLR(opt, List.of(3, 7, 7), 0.5), false);
        roundTrip(opt -> new ExponentialLR(opt, 0.8), false);
        roundTrip(opt -> new CosineAnnealingLR(opt, 4, 0.001), false);
        roundTrip(opt -> new LinearLR(opt, 0.5, 1, 8), false);
        roundTrip(opt -> new LambdaLR(opt, e -> 1.0 / (e + 1)), false);
        roundTrip(opt -> new OneCycleLR(opt, OneCycleLR.options(0.5, 13).threePhase(true)), false);
        roundTrip(opt -> new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().patience(1).cooldown(1).factor(0.5)), true);
    }

    @Test
    void stateDictHoldsPyTorchsKeys() {
        try (SGD opt = sgd(0)) {
            StepLR scheduler = new StepLR(opt, 3, 0.5);
            scheduler.step();
            Map<String, Object> dict = scheduler.stateDict();
            assertEquals(List.of("step_size", "gamma", "base_lrs", "_step_count", "last_epoch", "_last_lr"), List.copyOf(dict.keySet()));
            assertEquals(List.of(BASE0, BASE1), dict.get("base_lrs"));
            assertEquals(1L, dict.get("last_epoch"));
            assertEquals(2L, dict.get("_step_count"));
        }
    }

    @Test
    void stateDictOfAnotherSchedulerIsRejected() {
        try (SGD opt = sgd(0)) {
            Map<String, Object> stepDict = new StepLR(opt, 3).stateDict();
            CosineAnnealingLR cosine = new CosineAnnealingLR(opt, 5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cosine.loadStateDict(stepDict));
            assertTrue(e.getMessage().contains("'step_size'"), e.getMessage());
            Map<String, Object> bad = cosine.stateDict();
            bad.put("T_max", 0);
            e = assertThrows(IllegalArgumentException.class, () -> cosine.loadStateDict(bad));
            assertTrue(e.getMessage().contains("T_max"), e.getMessage());
            Map<String, Object> wrongGroups = cosine.stateDict();
            wrongGroups.put("base_lrs", List.of(0.1));
            e = assertThrows(IllegalArgumentException.class, () -> cosine.loadStateDict(wrongGroups));
            assertTrue(e.getMessage().contains("2 param groups"), e.getMessage());
        }
    }

    // ---- bad arguments ----------------------------------------------------------------------------

    @Test
    void badArguments() {
        try (SGD opt = sgd(0)) {
            assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 0));
            assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 2, -0.5));
            assertThrows(IllegalArgumentException.class, () -> new MultiStepLR(opt, List.of(-1)));
            assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(opt, 0));
            assertThrows(IllegalArgumentException.class, () -> new LinearLR(opt, 0, 1, 5));
            assertThrows(IllegalArgumentException.class, () -> new LinearLR(opt, 0.5, 1.5, 5));
            assertThrows(IllegalArgumentException.class, () -> new LambdaLR(opt, List.of(e -> 1.0)));
            assertThrows(IllegalArgumentException.class, () -> OneCycleLR.options(0.1, 0));
            assertThrows(IllegalArgumentException.class, () -> OneCycleLR.options(-0.1, 10));
            assertThrows(IllegalArgumentException.class, () -> OneCycleLR.options(0.1, 10).pctStart(1.5));
            assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(opt, OneCycleLR.options(0.1, 10).maxLrs(0.1)));
            assertThrows(IllegalArgumentException.class, () -> ReduceLROnPlateau.options().factor(1.0));
            assertThrows(IllegalArgumentException.class, () -> ReduceLROnPlateau.options().patience(-1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, -3));
            assertTrue(e.getMessage().contains("-3"), e.getMessage());
        }
    }

    @Test
    void aGroupAddedAfterTheSchedulerIsReported() {
        try (SGD opt = sgd(0)) {
            StepLR scheduler = new StepLR(opt, 2);
            opt.addParamGroup(ParamGroup.of(List.of(param(new double[] {1}, 1))));
            IllegalStateException e = assertThrows(IllegalStateException.class, scheduler::step);
            assertTrue(e.getMessage().contains("made for 2 param groups"), e.getMessage());
        }
    }
}
