package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.ComputePool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link GemmFloat} and {@link GemmDouble} against a float64 recomputation: sizes around the micro-tile and
 * the cache blocks (1, 7, 17, 1023), every layout of a and b (row-major, transposed, strided in both
 * dims), the accumulate flag, c with a leading dimension wider than n, every vector width the CPU has,
 * and one or two threads. Results must lie within the error bound of any summation order,
 * {@code (k + 1) u sum |terms|}, here doubled; the elements of c beside the product must stay untouched,
 * and without accumulate c's old values (NaN) must not be read.
 */
class GemmTest {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** What c holds outside the product: must survive. */
    private static final double OUTSIDE = 1234.5;

    /** The product under test, as Gemm's entry points take it. */
    @FunctionalInterface
    interface Product {
        void run(int m, int n, int k, MemorySegment a, long aOff, long ars, long acs, MemorySegment b, long bOff, long brs, long bcs,
                MemorySegment c, long cOff, long ldc, boolean accumulate);
    }

    /** How a [rows, cols] operand lies in memory. */
    enum Layout {
        ROW_MAJOR, TRANSPOSED, STRIDED;

        long rowStride(int rows, int cols) {
            return switch (this) {
                case ROW_MAJOR -> cols;
                case TRANSPOSED -> 1;
                case STRIDED -> 2L * cols + 3;
            };
        }

        long colStride(int rows, int cols) {
            return switch (this) {
                case ROW_MAJOR -> 1;
                case TRANSPOSED -> rows;
                case STRIDED -> 2;
            };
        }
    }

    static Product product(int bits, DType type) {
        Lanes lanes = Lanes.ofBits(bits);
        return type == DType.FLOAT32 ? new GemmFloat(lanes.floats())::gemm : new GemmDouble(lanes.doubles())::gemm;
    }

    @TestFactory
    Stream<DynamicTest> smallSizesEveryLayout() {
        List<DynamicTest> tests = new ArrayList<>();
        int[] sizes = {1, 7, 17};
        for (int bits : ElementwiseBoundaryTest.widths()) {
            for (DType type : ElementwiseBoundaryTest.FLOATS) {
                tests.add(DynamicTest.dynamicTest(type + ", " + bits + "-bit vectors", () -> {
                    Product p = product(bits, type);
                    SplittableRandom random = new SplittableRandom(bits * 31L + type.ordinal());
                    List<String> failures = new ArrayList<>();
                    for (int m : sizes) {
                        for (int n : sizes) {
                            for (int k : sizes) {
                                for (Layout la : Layout.values()) {
                                    for (Layout lb : Layout.values()) {
                                        for (boolean accumulate : new boolean[] {false, true}) {
                                            check(p, type, m, n, k, la, lb, accumulate, random, failures);
                                        }
                                    }
                                }
                            }
                        }
                    }
                    assertNoFailures(failures);
                }));
            }
        }
        return tests.stream();
    }

    /** Sizes past the micro-tile and the cache blocks: m past MC, n past NC, k past KC and KB, and 1023. */
    @TestFactory
    Stream<DynamicTest> largeSizes() {
        int[][] shapes = {{1023, 37, 300}, {20, 1023, 1023}, {150, 600, 257}, {1, 1023, 300}, {1023, 1, 300}, {64, 70, 1023}, {100, 70, 4500}};
        Layout[][] layouts = {{Layout.ROW_MAJOR, Layout.ROW_MAJOR}, {Layout.TRANSPOSED, Layout.TRANSPOSED}, {Layout.STRIDED, Layout.TRANSPOSED},
            {Layout.TRANSPOSED, Layout.STRIDED}};
        List<DynamicTest> tests = new ArrayList<>();
        int preferred = Lanes.preferred().bits();
        for (int bits : new int[] {128, preferred}) {
            for (DType type : ElementwiseBoundaryTest.FLOATS) {
                tests.add(DynamicTest.dynamicTest(type + ", " + bits + "-bit vectors", () -> {
                    Product p = product(bits, type);
                    SplittableRandom random = new SplittableRandom(bits * 7L + type.ordinal());
                    List<String> failures = new ArrayList<>();
                    for (int s = 0; s < shapes.length; s++) {
                        Layout[] l = layouts[s % layouts.length];
                        check(p, type, shapes[s][0], shapes[s][1], shapes[s][2], l[0], l[1], s % 2 == 1, random, failures);
                    }
                    assertNoFailures(failures);
                }));
            }
        }
        return tests.stream();
    }

    /** Small integers make every product and sum exact: the result must be exact whatever the order. */
    @Test
    void integerValuesAreExact() {
        for (DType type : ElementwiseBoundaryTest.FLOATS) {
            Product p = product(Lanes.preferred().bits(), type);
            int m = 45;
            int n = 70;
            int k = 300;
            MemorySegment a = segment(type, (long) m * k);
            MemorySegment b = segment(type, (long) k * n);
            MemorySegment c = segment(type, (long) m * n);
            SplittableRandom random = new SplittableRandom(5);
            for (long i = 0; i < (long) m * k; i++) {
                put(type, a, i, random.nextInt(-8, 9));
            }
            for (long i = 0; i < (long) k * n; i++) {
                put(type, b, i, random.nextInt(-8, 9));
            }
            p.run(m, n, k, a, 0, k, 1, b, 0, n, 1, c, 0, n, false);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double exact = 0;
                    for (int t = 0; t < k; t++) {
                        exact += value(type, a, (long) i * k + t) * value(type, b, (long) t * n + j);
                    }
                    assertEquals(exact, value(type, c, (long) i * n + j), type + " [" + i + ", " + j + "]");
                }
            }
        }
    }

    /** k = 0: an empty sum, so c becomes 0, or stays as it was with accumulate. */
    @Test
    void emptyInnerDimension() {
        for (DType type : ElementwiseBoundaryTest.FLOATS) {
            Product p = product(Lanes.preferred().bits(), type);
            MemorySegment c = segment(type, 3 * 5);
            for (int i = 0; i < 15; i++) {
                put(type, c, i, i + 1);
            }
            p.run(3, 4, 0, segment(type, 1), 0, 1, 1, segment(type, 1), 0, 1, 1, c, 0, 5, true);
            assertEquals(7, value(type, c, 6));
            p.run(3, 4, 0, segment(type, 1), 0, 1, 1, segment(type, 1), 0, 1, 1, c, 0, 5, false);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(j < 4 ? 0 : i * 5 + j + 1, value(type, c, i * 5 + j), type + " [" + i + ", " + j + "]");
                }
            }
        }
    }

    /** The static entry points (the JVM's preferred width) on a hand-worked case. */
    @Test
    void entryPointsHandWorked() {
        // [[1, 2, 3], [4, 5, 6]] @ [[7, 8], [9, 10], [11, 12]] = [[58, 64], [139, 154]]
        double[] a = {1, 2, 3, 4, 5, 6};
        double[] b = {7, 8, 9, 10, 11, 12};
        double[] expected = {58, 64, 139, 154};
        for (DType type : ElementwiseBoundaryTest.FLOATS) {
            MemorySegment x = segment(type, 6);
            MemorySegment y = segment(type, 6);
            MemorySegment c = segment(type, 4);
            for (int i = 0; i < 6; i++) {
                put(type, x, i, a[i]);
                put(type, y, i, b[i]);
                put(type, c, i % 4, 1);
            }
            if (type == DType.FLOAT32) {
                Gemm.sgemm(2, 2, 3, x, 0, 3, 1, y, 0, 2, 1, c, 0, 2, true);
            } else {
                Gemm.dgemm(2, 2, 3, x, 0, 3, 1, y, 0, 2, 1, c, 0, 2, true);
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(expected[i] + 1, value(type, c, i), type + " element " + i);
            }
            // b transposed: [[7, 9, 11], [8, 10, 12]] read with strides (1, 3) is the same b.
            MemorySegment bt = segment(type, 6);
            double[] t = {7, 9, 11, 8, 10, 12};
            for (int i = 0; i < 6; i++) {
                put(type, bt, i, t[i]);
            }
            if (type == DType.FLOAT32) {
                Gemm.sgemm(2, 2, 3, x, 0, 3, 1, bt, 0, 1, 3, c, 0, 2, false);
            } else {
                Gemm.dgemm(2, 2, 3, x, 0, 3, 1, bt, 0, 1, 3, c, 0, 2, false);
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(expected[i], value(type, c, i), type + " transposed b, element " + i);
            }
        }
    }

    /** Two threads (whichever dimension the product splits) agree with one thread and with the reference. */
    @Test
    void twoThreadsMatchOneThread() {
        int before = ComputePool.threads();
        try {
            int[][] shapes = {{200, 300, 400}, {600, 40, 100}, {64, 128, 3136}, {784, 256, 64}};
            for (DType type : ElementwiseBoundaryTest.FLOATS) {
                Product p = product(Lanes.preferred().bits(), type);
                for (int[] s : shapes) {
                    int m = s[0];
                    int n = s[1];
                    int k = s[2];
                    SplittableRandom random = new SplittableRandom(m + n + k);
                    MemorySegment a = segment(type, (long) m * k);
                    MemorySegment b = segment(type, (long) k * n);
                    fill(type, a, (long) m * k, random);
                    fill(type, b, (long) k * n, random);
                    MemorySegment one = segment(type, (long) m * n);
                    MemorySegment two = segment(type, (long) m * n);
                    ComputePool.setThreads(1);
                    p.run(m, n, k, a, 0, 1, m, b, 0, n, 1, one, 0, n, false);
                    ComputePool.setThreads(2);
                    p.run(m, n, k, a, 0, 1, m, b, 0, n, 1, two, 0, n, false);
                    List<String> failures = new ArrayList<>();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double exact = 0;
                            double bound = 0;
                            for (int t = 0; t < k; t++) {
                                double prod = value(type, a, (long) t * m + i) * value(type, b, (long) t * n + j);
                                exact += prod;
                                bound += Math.abs(prod);
                            }
                            double tolerance = 2 * (k + 1) * unit(type) * bound;
                            double x = value(type, one, (long) i * n + j);
                            double y = value(type, two, (long) i * n + j);
                            if (!(Math.abs(x - exact) <= tolerance && Math.abs(y - x) <= tolerance)) {
                                failures.add(type + " " + m + "x" + n + "x" + k + " [" + i + ", " + j + "]: 1 thread " + x + ", 2 threads " + y
                                        + ", expected " + exact + " +- " + tolerance);
                            }
                        }
                    }
                    assertNoFailures(failures);
                }
            }
        } finally {
            ComputePool.setThreads(before);
        }
    }

    static void check(Product p, DType type, int m, int n, int k, Layout la, Layout lb, boolean accumulate, SplittableRandom random,
            List<String> failures) {
        long ars = la.rowStride(m, k);
        long acs = la.colStride(m, k);
        long brs = lb.rowStride(k, n);
        long bcs = lb.colStride(k, n);
        long aOff = 5;
        long bOff = 3;
        long cOff = 2;
        long ldc = n + 3;
        MemorySegment a = segment(type, aOff + (m - 1) * ars + (k - 1) * acs + 4);
        MemorySegment b = segment(type, bOff + (k - 1) * brs + (n - 1) * bcs + 4);
        MemorySegment c = segment(type, cOff + (m - 1) * ldc + n + 4);
        // Elements of a and b outside the operands are NaN: a stray read would show.
        fillWith(type, a, Double.NaN);
        fillWith(type, b, Double.NaN);
        fillWith(type, c, OUTSIDE);
        double[] x = new double[m * k];
        double[] y = new double[k * n];
        double[] c0 = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < k; t++) {
                x[i * k + t] = Oracle.round(type, -1 + 2 * random.nextDouble());
                put(type, a, aOff + i * ars + t * acs, x[i * k + t]);
            }
        }
        for (int t = 0; t < k; t++) {
            for (int j = 0; j < n; j++) {
                y[t * n + j] = Oracle.round(type, -1 + 2 * random.nextDouble());
                put(type, b, bOff + t * brs + j * bcs, y[t * n + j]);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c0[i * n + j] = accumulate ? Oracle.round(type, -1 + 2 * random.nextDouble()) : Double.NaN;
                put(type, c, cOff + i * ldc + j, c0[i * n + j]);
            }
        }
        p.run(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
        String what = type + " " + m + "x" + n + "x" + k + " a " + la + " b " + lb + (accumulate ? " accumulate" : "");
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = accumulate ? c0[i * n + j] : 0;
                double bound = Math.abs(exact);
                for (int t = 0; t < k; t++) {
                    double prod = x[i * k + t] * y[t * n + j];
                    exact += prod;
                    bound += Math.abs(prod);
                }
                double tolerance = 2 * (k + 1) * unit(type) * bound;
                double got = value(type, c, cOff + i * ldc + j);
                if (!(Math.abs(got - exact) <= tolerance)) {
                    failures.add(what + " [" + i + ", " + j + "]: " + got + ", expected " + exact + " +- " + tolerance);
                }
            }
        }
        for (long e = 0; e < c.byteSize() / type.byteSize(); e++) {
            long row = (e - cOff) / ldc;
            long col = (e - cOff) % ldc;
            boolean inside = e >= cOff && row < m && col < n;
            if (!inside && value(type, c, e) != OUTSIDE) {
                failures.add(what + ": c element " + e + " outside the product was written: " + value(type, c, e));
            }
        }
    }

    private static double unit(DType type) {
        return type == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
    }

    private static void assertNoFailures(List<String> failures) {
        assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())), () -> failures.size() + " mismatches");
    }

    static MemorySegment segment(DType type, long elements) {
        return Arena.ofAuto().allocate(Math.max(1, elements) * type.byteSize(), 64);
    }

    private static void fillWith(DType type, MemorySegment s, double v) {
        for (long i = 0; i < s.byteSize() / type.byteSize(); i++) {
            put(type, s, i, v);
        }
    }

    private static void fill(DType type, MemorySegment s, long count, SplittableRandom random) {
        for (long i = 0; i < count; i++) {
            put(type, s, i, -1 + 2 * random.nextDouble());
        }
    }

    static void put(DType type, MemorySegment s, long i, double v) {
        if (type == DType.FLOAT32) {
            s.setAtIndex(FLOAT, i, (float) v);
        } else {
            s.setAtIndex(DOUBLE, i, v);
        }
    }

    static double value(DType type, MemorySegment s, long i) {
        return type == DType.FLOAT32 ? s.getAtIndex(FLOAT, i) : s.getAtIndex(DOUBLE, i);
    }
}
