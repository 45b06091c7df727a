package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.TernaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * WHERE with a bool condition and float32 or float64 branches, where the vector path (dense output and
 * condition, dense or broadcast branches) meets the scalar tail and the scalar layouts: odd lengths, a
 * broadcast scalar on either side or both, padded rows, and strided layouts that must take the scalar
 * path, at every vector width up to the CPU's. The expected element is computed here, element by
 * element, from the raw bits: condition byte non-zero (any non-zero byte, not only 1) picks b's bits,
 * else c's, so NaN payloads (quiet and signaling) and -0.0 must arrive unchanged.
 */
class WhereVectorTest {

    private static final long[] LENGTHS = {1, 7, 15, 16, 17, 31, 33, 64, 1023};

    /** The operands of one case for n elements per row: {out, condition, b, c}. */
    record Layout(String name, Maker maker) {
        interface Maker {
            TensorView[] make(DType type, long n);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Layout> layouts() {
        return List.of(
                new Layout("dense at odd offsets", (t, n) -> new TensorView[] {
                    TestViews.dense(t, 1, n), TestViews.dense(DType.BOOL, 3, n), TestViews.dense(t, 2, n), TestViews.dense(t, 5, n)}),
                new Layout("c a broadcast scalar (ReLU's backward)", (t, n) -> new TensorView[] {
                    TestViews.dense(t, 0, n), TestViews.dense(DType.BOOL, 1, n), TestViews.dense(t, 3, n), TestViews.broadcast(t, 2, n)}),
                new Layout("b a broadcast scalar", (t, n) -> new TensorView[] {
                    TestViews.dense(t, 2, n), TestViews.dense(DType.BOOL, 0, n), TestViews.broadcast(t, 1, n), TestViews.dense(t, 0, n)}),
                new Layout("both broadcast scalars", (t, n) -> new TensorView[] {
                    TestViews.dense(t, 1, n), TestViews.dense(DType.BOOL, 5, n), TestViews.broadcast(t, 0, n), TestViews.broadcast(t, 3, n)}),
                new Layout("3 padded rows of n, c broadcast", (t, n) -> new TensorView[] {
                    TestViews.dense(t, 0, 3, n), TestViews.view(DType.BOOL, new long[] {3, n}, new long[] {n + 5, 1}, 2),
                    TestViews.view(t, new long[] {3, n}, new long[] {n + 1, 1}, 1), TestViews.broadcast(t, 0, 3, n)}),
                new Layout("strided condition (scalar)", (t, n) -> new TensorView[] {
                    TestViews.dense(t, 0, n), TestViews.stepped(DType.BOOL, 1, 3, n), TestViews.dense(t, 1, n), TestViews.broadcast(t, 0, n)}),
                new Layout("strided output (scalar)", (t, n) -> new TensorView[] {
                    TestViews.stepped(t, 1, 2, n), TestViews.dense(DType.BOOL, 0, n), TestViews.dense(t, 0, n), TestViews.dense(t, 2, n)}),
                new Layout("strided b (scalar)", (t, n) -> new TensorView[] {
                    TestViews.dense(t, 0, n), TestViews.dense(DType.BOOL, 0, n), TestViews.stepped(t, 0, 2, n), TestViews.broadcast(t, 1, n)}));
    }

    @TestFactory
    Stream<DynamicTest> where() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : ElementwiseBoundaryTest.widths()) {
            for (DType type : ElementwiseBoundaryTest.FLOATS) {
                for (Layout layout : layouts()) {
                    tests.add(DynamicTest.dynamicTest(type + ", " + layout + ", " + bits + "-bit vectors", () -> check(bits, type, layout)));
                }
            }
        }
        return tests.stream();
    }

    /** Raw bits of special and ordinary values: NaNs with payloads (quiet, signaling, negative), -0.0, 0.0, infinities. */
    private static long element(DType type, SplittableRandom random) {
        boolean single = type == DType.FLOAT32;
        return switch (random.nextInt(10)) {
            case 0 -> single ? 0x7FC0_1234L : 0x7FF8_0000_0000_1234L;
            case 1 -> single ? 0x7F80_0F01L : 0x7FF0_0000_0F00_0001L;
            case 2 -> single ? 0xFFC0_0042L : 0xFFF8_0000_0000_0042L;
            case 3 -> single ? 0x8000_0000L : 0x8000_0000_0000_0000L;
            case 4 -> 0;
            case 5 -> single ? Float.floatToRawIntBits(Float.NEGATIVE_INFINITY) & 0xFFFF_FFFFL : Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
            default -> {
                double x = -100 + 200 * random.nextDouble();
                yield single ? Float.floatToRawIntBits((float) x) & 0xFFFF_FFFFL : Double.doubleToRawLongBits(x);
            }
        };
    }

    private static void check(int bits, DType type, Layout layout) {
        SimdBackend backend = new SimdBackend(bits);
        SplittableRandom random = new SplittableRandom(bits * 131L + type.ordinal() * 17L + layout.name().hashCode());
        List<String> failures = new ArrayList<>();
        byte[] truths = {0, 1, 0, 1, 2, (byte) 0x80, (byte) 0xFF};
        for (long n : LENGTHS) {
            TensorView[] views = layout.maker().make(type, n);
            TensorView out = views[0];
            TensorView cond = views[1];
            TensorView b = views[2];
            TensorView c = views[3];
            long count = out.numel();
            // Broadcast views are written once (their one element); writing every index sets that element again.
            for (long i = 0; i < count; i++) {
                TestViews.setBits(cond, i, truths[random.nextInt(truths.length)]);
                TestViews.setBits(b, i, element(type, random));
                TestViews.setBits(c, i, element(type, random));
            }
            backend.ternary(TernaryOp.WHERE, out, cond, b, c);
            for (long i = 0; i < count; i++) {
                long expected = TestViews.bits(cond, i) != 0 ? TestViews.bits(b, i) : TestViews.bits(c, i);
                long got = TestViews.bits(out, i);
                if (got != expected) {
                    failures.add("n = " + n + ", element " + i + ": bits " + Long.toHexString(got) + ", expected " + Long.toHexString(expected)
                            + " (condition " + TestViews.bits(cond, i) + ")");
                }
            }
            TestViews.assertOnlyViewWritten(out);
        }
        assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())), () -> failures.size() + " mismatches");
    }
}
