package ignis.tck;

import ignis.tensor.DType;
import ignis.tensor.spi.Philox;
import ignis.tensor.spi.RandomDistribution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * random: every distribution into every output dtype agrees with {@link Philox}'s specified values
 * (element i in row-major order from counter offset + i, whatever the layout), plus sanity
 * statistics; and the Philox helper itself against the Random123 known answers.
 */
abstract class RandomChecks extends Checks {

    /** Random123's kat_vectors for philox4x32-10: counter words, key words, output words. */
    @ParameterizedTest(name = "philox4x32-10 of counter {0}, key {1}")
    @CsvSource({
        "00000000 00000000 00000000 00000000, 00000000 00000000, 6627e8d5 e169c58d bc57ac4c 9b00dbd8",
        "ffffffff ffffffff ffffffff ffffffff, ffffffff ffffffff, 408f276d 41c83b0e a20bc7c6 6d5451fd",
        "243f6a88 85a308d3 13198a2e 03707344, a4093822 299f31d0, d16cfe09 94fdcceb 5001e420 24126ea1",
    })
    void philoxKnownAnswers(String counter, String key, String expected) {
        int[] c = words(counter);
        int[] k = words(key);
        int[] got = Philox.block(c[0], c[1], c[2], c[3], k[0], k[1]);
        Assertions.assertArrayEquals(words(expected), got, () -> "Philox.block(" + counter + ", " + key + ") = "
                + hex(got) + ", Random123 says " + expected);
    }

    private static int[] words(String text) {
        String[] parts = text.trim().split("\\s+");
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            w[i] = Integer.parseUnsignedInt(parts[i], 16);
        }
        return w;
    }

    private static String hex(int[] w) {
        StringBuilder b = new StringBuilder();
        for (int x : w) {
            b.append(b.isEmpty() ? "" : " ").append(String.format("%08x", x));
        }
        return b.toString();
    }

    /** The helper's conversions follow their documented recipes, with counter and seed split into low and high words. */
    @Test
    void philoxConversions() {
        long seed = 0x0123456789ABCDEFL;
        for (long counter : new long[] {0, 1, 0xFFFFFFFFL, 0x1_0000_0000L, 0x7FFF_FFFF_FFFF_FFFFL}) {
            int[] w = Philox.block((int) counter, (int) (counter >>> 32), 0, 0, (int) seed, (int) (seed >>> 32));
            Assertions.assertArrayEquals(w, Philox.block(seed, counter), "block(seed, counter) words");
            Assertions.assertEquals((w[0] >>> 8) * 0x1p-24f, Philox.uniform32(seed, counter), "uniform32");
            long w10 = (long) w[1] << 32 | (w[0] & 0xFFFFFFFFL);
            long w32 = (long) w[3] << 32 | (w[2] & 0xFFFFFFFFL);
            Assertions.assertEquals((w10 >>> 11) * 0x1p-53, Philox.uniform64(seed, counter), "uniform64");
            double u1 = ((w[0] >>> 8) + 1) * 0x1p-24;
            double u2 = (w[1] >>> 8) * 0x1p-24;
            Assertions.assertEquals((float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)), Philox.normal32(seed, counter), "normal32");
            double v1 = ((w10 >>> 11) + 1) * 0x1p-53;
            double v2 = (w32 >>> 11) * 0x1p-53;
            Assertions.assertEquals(Math.sqrt(-2 * Math.log(v1)) * Math.cos(2 * Math.PI * v2), Philox.normal64(seed, counter), "normal64");
            Assertions.assertEquals(-5 + Math.unsignedMultiplyHigh(w10, 22), Philox.integer(seed, counter, -5, 17), "integer");
        }
    }

    static DType[] outputTypes(RandomDistribution d) {
        return d == RandomDistribution.INTEGER
                ? new DType[] {DType.INT32, DType.INT64, DType.FLOAT32, DType.FLOAT64}
                : new DType[] {DType.FLOAT32, DType.FLOAT64};
    }

    static double[][] parameters(RandomDistribution d, DType dtype) {
        return switch (d) {
            case UNIFORM -> new double[][] {{0, 1}, {-2, 3}, {1000, 1000.5}};
            case NORMAL -> new double[][] {{0, 1}, {1.5, 0.25}, {-3, 4}};
            case INTEGER -> switch (dtype) {
                case INT32 -> new double[][] {{-5, 17}, {0, 2}, {-2147483648.0, 2147483647.0}};
                case INT64, FLOAT64 -> new double[][] {{-5, 17}, {0, 2}, {-0x1p62, 0x1p62}};
                default -> new double[][] {{-5, 17}, {0, 2}, {-1000000, 1000000}};
            };
        };
    }

    @TestFactory
    Stream<DynamicTest> random() {
        List<DynamicTest> tests = new ArrayList<>();
        for (RandomDistribution d : RandomDistribution.values()) {
            for (DType dtype : outputTypes(d)) {
                tests.add(DynamicTest.dynamicTest(d + " " + dtype, () -> check(d, dtype)));
            }
        }
        return tests.stream();
    }

    private void check(RandomDistribution d, DType dtype) {
        Mismatches m = new Mismatches(title("random " + d + " " + dtype));
        long[][] seedsAndOffsets = {{0, 0}, {0x0123456789ABCDEFL, 0xFFFF_FFF0L}, {-1L, 5}};
        long[][] shapes = {{5, 7}, {5, 7}, {3, 4}, {}, {300}};
        Layout[] layouts = {Layout.CONTIGUOUS, Layout.TRANSPOSED, Layout.STEPPED, Layout.OFFSET, Layout.CONTIGUOUS};
        int n = 0;
        for (double[] ab : parameters(d, dtype)) {
            for (long[] so : seedsAndOffsets) {
                int pick = n++ % layouts.length;
                long[] dims = shapes[pick];
                long seed = so[0];
                long offset = so[1];
                m.startCase("a = " + ab[0] + ", b = " + ab[1] + ", seed 0x" + Long.toHexString(seed) + ", offset 0x"
                        + Long.toHexString(offset) + ", out " + layouts[pick] + " " + Layout.shapeText(dims));
                try (Workspace w = workspace()) {
                    KitTensor out = w.output("out", dtype, dims, layouts[pick]);
                    backend().random(d, out.view, ab[0], ab[1], seed, offset);
                    Values got = w.read(out);
                    for (int i = 0; i < got.size(); i++) {
                        long counter = offset + i;
                        int e = i;
                        m.expect(expect(d, dtype, ab[0], ab[1], seed, counter), got, i,
                                () -> Mismatches.at(e, dims) + " (counter 0x" + Long.toHexString(counter) + ")");
                    }
                    w.checkStorage(out, true, m);
                } catch (RuntimeException e) {
                    m.thrown(e);
                }
            }
        }
        m.throwIfAny();
    }

    /** The specified value of one draw. */
    static Expected expect(RandomDistribution d, DType dtype, double a, double b, long seed, long counter) {
        switch (d) {
            case UNIFORM:
                return Expected.exact(dtype == DType.FLOAT32
                        ? (float) Philox.scale(Philox.uniform32(seed, counter), a, b)
                        : Philox.scale(Philox.uniform64(seed, counter), a, b));
            case NORMAL:
                if (dtype == DType.FLOAT32) {
                    float z = Philox.normal32(seed, counter);
                    double value = a + b * z;
                    return Expected.real(value, Tolerances.normal32(value, b, z));
                }
                double z = Philox.normal64(seed, counter);
                return Expected.real(a + b * z, Tolerances.normal64(a, b, z));
            default:
                long v = Philox.integer(seed, counter, (long) a, (long) b);
                return switch (dtype) {
                    case FLOAT32 -> Expected.exact((float) v);
                    case FLOAT64 -> Expected.exact((double) v);
                    default -> Expected.integer(v);
                };
        }
    }

    /** Sanity statistics of 20000 draws: range, mean, spread, and every integer value drawn. */
    @TestFactory
    Stream<DynamicTest> statistics() {
        return Stream.of(
                DynamicTest.dynamicTest("UNIFORM float32 on [-2, 3)", () -> uniform(DType.FLOAT32)),
                DynamicTest.dynamicTest("UNIFORM float64 on [-2, 3)", () -> uniform(DType.FLOAT64)),
                DynamicTest.dynamicTest("NORMAL float32 with mean 1.5, std 2", () -> normal(DType.FLOAT32)),
                DynamicTest.dynamicTest("NORMAL float64 with mean 1.5, std 2", () -> normal(DType.FLOAT64)),
                DynamicTest.dynamicTest("INTEGER int64 on [-5, 17)", () -> integers(DType.INT64)),
                DynamicTest.dynamicTest("INTEGER int32 on [-5, 17)", () -> integers(DType.INT32)));
    }

    private static final int DRAWS = 20000;

    private double[] draw(RandomDistribution d, DType dtype, double a, double b) {
        try (Workspace w = workspace()) {
            KitTensor out = w.output("out", dtype, shape(DRAWS), Layout.CONTIGUOUS);
            backend().random(d, out.view, a, b, 20261101L, 77);
            Values got = w.read(out);
            double[] x = new double[DRAWS];
            for (int i = 0; i < DRAWS; i++) {
                x[i] = got.real(i);
            }
            return x;
        }
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double variance(double[] x) {
        double mu = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - mu) * (v - mu);
        }
        return s / (x.length - 1);
    }

    private void uniform(DType dtype) {
        double[] x = draw(RandomDistribution.UNIFORM, dtype, -2, 3);
        for (double v : x) {
            Assertions.assertTrue(v >= -2 && (dtype == DType.FLOAT32 ? v <= 3 : v < 3), () -> "draw " + v + " outside [-2, 3)");
        }
        double sigma = 5 / Math.sqrt(12);
        Assertions.assertEquals(0.5, mean(x), 5 * sigma / Math.sqrt(DRAWS), "mean of uniform draws on [-2, 3)");
        Assertions.assertEquals(25 / 12.0, variance(x), 0.05 * 25 / 12.0, "variance of uniform draws on [-2, 3)");
    }

    private void normal(DType dtype) {
        double[] x = draw(RandomDistribution.NORMAL, dtype, 1.5, 2);
        Assertions.assertEquals(1.5, mean(x), 5 * 2 / Math.sqrt(DRAWS), "mean of normal draws");
        Assertions.assertEquals(2, Math.sqrt(variance(x)), 0.03 * 2, "standard deviation of normal draws");
        long within = Arrays.stream(x).filter(v -> Math.abs(v - 1.5) < 2).count();
        Assertions.assertEquals(0.6827, within / (double) DRAWS, 0.02, "fraction of normal draws within one standard deviation");
    }

    private void integers(DType dtype) {
        double[] x = draw(RandomDistribution.INTEGER, dtype, -5, 17);
        int[] counts = new int[22];
        for (double v : x) {
            Assertions.assertTrue(v >= -5 && v < 17 && v == Math.rint(v), () -> "draw " + v + " not an integer in [-5, 17)");
            counts[(int) v + 5]++;
        }
        for (int k = 0; k < counts.length; k++) {
            Assertions.assertTrue(counts[k] > DRAWS / 22 / 2, "value " + (k - 5) + " drawn " + counts[k] + " times in " + DRAWS);
        }
        double sigma = Math.sqrt((22 * 22 - 1) / 12.0);
        Assertions.assertEquals(5.5, mean(x), 5 * sigma / Math.sqrt(DRAWS), "mean of integer draws on [-5, 17)");
    }
}
