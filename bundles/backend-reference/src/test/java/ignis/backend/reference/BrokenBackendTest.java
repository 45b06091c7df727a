package ignis.backend.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tck.BackendConformanceKit;
import ignis.tck.api.ForwardingBackend;
import ignis.tensor.DType;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.HostStorage;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.ScatterMode;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Proves that the conformance kit catches errors: runs the kit (through the JUnit Platform Launcher)
 * against deliberately broken variants of the reference backend, and checks that each variant fails
 * the kit test aimed at its defect while the unbroken reference, wrapped the same way, passes it.
 */
class BrokenBackendTest {

    /** A broken variant: the kit subclass that runs it, the kit group (tag) to run, the kit test it must fail. */
    record Variant(String defect, Class<? extends BackendConformanceKit> kit, String tag, String test) {
    }

    static List<Variant> variants() {
        return List.of(
                new Variant("ADD one ulp off in one element", AddOffByOneUlpKit.class, "binary", "ADD float32"),
                new Variant("SUM skipping the last element of the reduced axes", SumSkipsLastKit.class, "reduce", "SUM float64"),
                new Variant("matmul ignoring b's strides", MatmulIgnoresStridesOfBKit.class, "matmul", "matmul float32"),
                new Variant("float32 to float16 rounding ties away from zero, not to even", Float16TiesAwayKit.class, "copy", "float32 to float16"),
                new Variant("fill ignoring the view's offset", FillIgnoresOffsetKit.class, "copy", "fill int32"),
                new Variant("scatter ADD overwriting instead of accumulating", ScatterAddOverwritesKit.class, "gather-scatter", "scatter ADD int64"));
    }

    private static final Map<String, Map<String, TestExecutionResult.Status>> BASELINES = new HashMap<>();

    @TestFactory
    Stream<DynamicTest> theKitFailsEveryBrokenVariant() {
        return variants().stream().map(v -> DynamicTest.dynamicTest(v.defect(), () -> {
            Run broken = run(v.kit(), v.tag());
            assertTrue(broken.summary.getTotalFailureCount() > 0,
                    () -> "the kit reported no failure for a backend with " + v.defect() + " (" + broken.summary.getTestsSucceededCount() + " passed)");
            assertEquals(TestExecutionResult.Status.FAILED, broken.results.get(v.test()),
                    () -> "kit test '" + v.test() + "' should fail for a backend with " + v.defect() + "; results: " + broken.results);
            Map<String, TestExecutionResult.Status> baseline = BASELINES.computeIfAbsent(v.tag(), tag -> run(UnbrokenKit.class, tag).results);
            Assumptions.assumeTrue(baseline.get(v.test()) == TestExecutionResult.Status.SUCCESSFUL,
                    () -> "inconclusive: the unbroken reference backend fails kit test '" + v.test() + "' too");
        }));
    }

    /** The outcome of one launcher run: the summary and the status of each test by display name. */
    record Run(TestExecutionSummary summary, Map<String, TestExecutionResult.Status> results) {
    }

    private static Run run(Class<?> kit, String tag) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(kit))
                .filters(TagFilter.includeTags(tag))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        Map<String, TestExecutionResult.Status> results = new HashMap<>();
        TestExecutionListener byName = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                    results.put(id.getDisplayName(), result.getStatus());
                }
            }
        };
        launcher.execute(request, summary, byName);
        return new Run(summary.getSummary(), results);
    }

    // The kit subclasses the launcher runs; not named *Test, and nested, so Surefire does not run them itself.

    static class UnbrokenKit extends BackendConformanceKit {
        @Override
        protected Backend backend() {
            return new Delegating();
        }
    }

    static class AddOffByOneUlpKit extends BackendConformanceKit {
        @Override
        protected Backend backend() {
            return new Delegating() {
                @Override
                public void binary(BinaryOp op, TensorView out, TensorView a, TensorView b) {
                    super.binary(op, out, a, b);
                    if (op == BinaryOp.ADD && out.dtype() == DType.FLOAT32) {
                        long at = out.offset();
                        set(out, at, Math.nextUp((float) get(out, at)));
                    }
                }
            };
        }
    }

    static class SumSkipsLastKit extends BackendConformanceKit {
        @Override
        protected Backend backend() {
            return new Delegating() {
                @Override
                public void reduce(ReduceOp op, TensorView out, TensorView in, int[] axes) {
                    for (int k = axes.length - 1; op == ReduceOp.SUM && k >= 0; k--) {
                        if (in.shape()[axes[k]] > 1) {
                            long[] shape = in.shape().clone();
                            shape[axes[k]]--;
                            in = new TensorView(in.storage(), in.dtype(), in.offset(), shape, in.strides());
                            break;
                        }
                    }
                    super.reduce(op, out, in, axes);
                }
            };
        }
    }

    static class MatmulIgnoresStridesOfBKit extends BackendConformanceKit {
        @Override
        protected Backend backend() {
            return new Delegating() {
                @Override
                public void matmul(TensorView out, TensorView a, TensorView b) {
                    long[] strides = new long[b.rank()];
                    long s = 1;
                    for (int d = b.rank() - 1; d >= 0; d--) {
                        strides[d] = s;
                        s *= b.shape()[d];
                    }
                    super.matmul(out, a, new TensorView(b.storage(), b.dtype(), b.offset(), b.shape(), strides));
                }
            };
        }
    }

    static class Float16TiesAwayKit extends BackendConformanceKit {
        @Override
        protected Backend backend() {
            return new Delegating() {
                @Override
                public void copy(TensorView dst, TensorView src) {
                    if (dst.dtype() != DType.FLOAT16 || src.dtype() != DType.FLOAT32) {
                        super.copy(dst, src);
                        return;
                    }
                    forEachIndex(dst.shape(), index -> {
                        float f = (float) get(src, src.offsetOf(index));
                        short h = Float.floatToFloat16(f);
                        float hv = Float.float16ToFloat(h);
                        if (Float.isFinite(f) && hv != f && Math.abs(hv) < Math.abs(f)) {
                            // Round-to-nearest-even went toward zero: on an exact tie, go away from zero instead.
                            float away = Float.float16ToFloat((short) (h + 1));
                            if ((double) f - hv == (double) away - f) {
                                h = (short) (h + 1);
                            }
                        }
                        segment(dst).set(HALF, dst.offsetOf(index) * 2, h);
                    });
                }
            };
        }
    }

    static class FillIgnoresOffsetKit extends BackendConformanceKit {
        @Override
        protected Backend backend() {
            return new Delegating() {
                @Override
                public void fill(TensorView out, long bits) {
                    super.fill(new TensorView(out.storage(), out.dtype(), 0, out.shape(), out.strides()), bits);
                }
            };
        }
    }

    static class ScatterAddOverwritesKit extends BackendConformanceKit {
        @Override
        protected Backend backend() {
            return new Delegating() {
                @Override
                public void scatter(ScatterMode mode, TensorView out, int dim, TensorView index, TensorView src) {
                    super.scatter(ScatterMode.SET, out, dim, index, src);
                }
            };
        }
    }

    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private static MemorySegment segment(TensorView v) {
        return ((HostStorage) v.storage()).segment();
    }

    private static double get(TensorView v, long at) {
        return v.dtype() == DType.FLOAT64 ? segment(v).get(DOUBLE, at * 8) : segment(v).get(FLOAT, at * 4);
    }

    private static void set(TensorView v, long at, double value) {
        if (v.dtype() == DType.FLOAT64) {
            segment(v).set(DOUBLE, at * 8, value);
        } else {
            segment(v).set(FLOAT, at * 4, (float) value);
        }
    }

    private static void forEachIndex(long[] shape, java.util.function.Consumer<long[]> action) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        long[] index = new long[shape.length];
        for (long i = 0; i < n; i++) {
            long r = i;
            for (int d = shape.length - 1; d >= 0; d--) {
                index[d] = r % shape[d];
                r /= shape[d];
            }
            action.accept(index);
        }
    }

    /** Passes every call to a fresh reference backend; the broken variants override one kernel. */
    static class Delegating extends ForwardingBackend {

        Delegating() {
            super(new ReferenceBackend());
        }

        @Override
        public String name() {
            return "broken-" + delegate.name();
        }
    }
}
