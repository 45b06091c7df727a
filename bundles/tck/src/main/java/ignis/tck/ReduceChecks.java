package ignis.tck;

import ignis.tensor.DType;
import ignis.tensor.spi.ReduceOp;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@link ReduceOp} over various sets of axes and layouts. SUM and PROD of int32, int64 and
 * bool write int64 (and so do not wrap at 32 bits); integer sums and products wrap at 64 bits;
 * MAX and MIN propagate NaN; ARGMAX and ARGMIN take the first extreme, NaN counting as the extreme.
 */
abstract class ReduceChecks extends Checks {

    static DType[] inputTypes(ReduceOp op) {
        return op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN ? UnaryChecks.ARITHMETIC : UnaryChecks.ANY;
    }

    static DType outputType(ReduceOp op, DType in) {
        return switch (op) {
            case SUM, PROD -> in.isFloatingPoint() ? in : DType.INT64;
            case MAX, MIN -> in;
            case ARGMAX, ARGMIN -> DType.INT64;
        };
    }

    @TestFactory
    Stream<DynamicTest> reduce() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ReduceOp op : ReduceOp.values()) {
            for (DType dtype : inputTypes(op)) {
                tests.add(DynamicTest.dynamicTest(op + " " + dtype, () -> check(op, dtype)));
            }
        }
        return tests.stream();
    }

    record ReduceCase(String name, long[] shape, int[] axes, Layout in, Layout out) {
    }

    static List<ReduceCase> cases(boolean singleAxis) {
        List<ReduceCase> cases = new ArrayList<>();
        Layout[] ins = {Layout.CONTIGUOUS, Layout.TRANSPOSED, Layout.STEPPED, Layout.BROADCAST_LEADING, Layout.OFFSET,
            Layout.TRANSPOSED_LAST2, Layout.BROADCAST_TRAILING};
        Layout[] outs = {Layout.CONTIGUOUS, Layout.STEPPED, Layout.OFFSET, Layout.TRANSPOSED};
        int[][] axesSets = singleAxis
                ? new int[][] {{0}, {1}, {2}, {0}, {1}, {2}, {2}}
                : new int[][] {{0}, {1}, {2}, {0, 1}, {0, 2}, {1, 2}, {0, 1, 2}};
        for (int k = 0; k < axesSets.length; k++) {
            cases.add(new ReduceCase("", shape(2, 3, 4), axesSets[k], ins[k], outs[k % outs.length]));
        }
        if (!singleAxis) {
            cases.add(new ReduceCase("rank 0, no axes", shape(), new int[0], Layout.OFFSET, Layout.OFFSET));
            cases.add(new ReduceCase("axes of size 1", shape(1, 4, 1), new int[] {0, 2}, Layout.CONTIGUOUS, Layout.STEPPED));
        }
        cases.add(new ReduceCase("one long axis", shape(100), new int[] {0}, Layout.CONTIGUOUS, Layout.OFFSET));
        cases.add(new ReduceCase("long rows", shape(3, 70), new int[] {1}, Layout.STEPPED, Layout.CONTIGUOUS));
        cases.add(new ReduceCase("long columns", shape(70, 3), new int[] {0}, Layout.TRANSPOSED, Layout.STEPPED));
        return cases;
    }

    private void check(ReduceOp op, DType in) {
        DType out = outputType(op, in);
        boolean single = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        Mismatches m = new Mismatches(title(op + " " + in + " -> " + out));
        Pool pool = pool(op, in);
        int n = 0;
        for (ReduceCase c : cases(single)) {
            run(m, op, in, out, c, pool.take(Values.numel(c.shape()), 13 * n++));
        }
        Object rows = specialRows(in);
        long[] dims = {in.isFloatingPoint() ? 8 : 5, 5};
        run(m, op, in, out, new ReduceCase("special rows (NaN, infinities, ties, extremes)", dims, new int[] {1},
                Layout.CONTIGUOUS, Layout.CONTIGUOUS), rows);
        m.throwIfAny();
    }

    static Pool pool(ReduceOp op, DType dtype) {
        long seed = 57L * op.ordinal() + dtype.ordinal();
        if (dtype == DType.BOOL) {
            return Pool.general(dtype, seed);
        }
        if (dtype.isFloatingPoint()) {
            return switch (op) {
                // The special values are in the special rows: sums and products of moderate values keep the bounds tight.
                case SUM -> Pool.reals(dtype, new double[] {-0.0, 1e-3, 7.5}, -10, 10, 61, seed);
                case PROD -> Pool.reals(dtype, new double[] {-1, -1.5, 2, -0.75, -1.25}, 0.6, 1.6, 60, seed);
                default -> Pool.general(dtype, seed);
            };
        }
        return switch (op) {
            case PROD -> Pool.ints(dtype, new long[] {2, -2, 65536, 100000, Integer.MAX_VALUE, Long.MAX_VALUE, 3, -1}, -3, 3, 40, seed);
            case SUM -> Pool.general(dtype, seed);
            default -> Pool.ints(dtype, Pool.intSpecials(), -20, 20, 40, seed);
        };
    }

    static Object specialRows(DType dtype) {
        if (dtype.isFloatingPoint()) {
            double inf = Double.POSITIVE_INFINITY;
            double nan = Double.NaN;
            double s = Numbers.minSubnormal(dtype);
            return new double[] {
                1, 2, nan, 4, 0,
                inf, 1, 2, -1, 0,
                inf, -inf, 1, 2, 3,
                3, 1, 3, 1, 2,
                -0.0, 0.0, -1, nan, nan,
                s, s, -3 * s, 2 * s, 0,
                -5, -inf, -inf, 2, 7,
                2, 2, 2, 2, 2,
            };
        }
        if (dtype == DType.BOOL) {
            return new long[] {0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0xFF, 1, 0x80, 1, 2, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0x80};
        }
        long max = Numbers.max(dtype);
        long min = Numbers.min(dtype);
        return new long[] {3, 1, 3, 1, 2, max, max, 1, 0, -1, min, min, -1, 0, 5, 7, 7, 7, 7, 7, 0, -1, 0, -1, 0};
    }

    private void run(Mismatches m, ReduceOp op, DType in, DType outType, ReduceCase c, Object values) {
        long[] outShape = c.shape().clone();
        boolean[] reduced = new boolean[c.shape().length];
        for (int axis : c.axes()) {
            outShape[axis] = 1;
            reduced[axis] = true;
        }
        m.startCase((c.name().isEmpty() ? "" : c.name() + ": ") + "in " + c.in() + " " + Layout.shapeText(c.shape())
                + ", axes " + Arrays.toString(c.axes()) + ", out " + c.out());
        try (Workspace w = workspace()) {
            KitTensor x = w.input("in", in, c.shape(), c.in(), values);
            KitTensor out = w.output("out", outType, outShape, c.out());
            backend().reduce(op, out.view, x.view, c.axes().clone());
            Values got = w.read(out);
            int total = x.values.size();
            for (int o = 0; o < got.size(); o++) {
                long[] at = Values.unravel(o, outShape);
                List<Integer> members = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                    long[] index = Values.unravel(i, c.shape());
                    boolean match = true;
                    for (int d = 0; d < index.length && match; d++) {
                        match = reduced[d] || index[d] == at[d];
                    }
                    if (match) {
                        members.add(i);
                    }
                }
                int e = o;
                m.expect(expect(op, in, x.values, members), got, o, () -> Mismatches.at(e, outShape) + " over " + show(x.values, members));
            }
            w.checkStorage(x, false, m);
            w.checkStorage(out, true, m);
        } catch (RuntimeException e) {
            m.thrown(e);
        }
    }

    private static String show(Values v, List<Integer> members) {
        StringBuilder b = new StringBuilder("[");
        for (int k = 0; k < members.size(); k++) {
            if (k == 12) {
                b.append(", ... (").append(members.size()).append(" elements)");
                break;
            }
            b.append(k == 0 ? "" : ", ").append(v.show(members.get(k)));
        }
        return b.append(']').toString();
    }

    /** The expected reduction of the elements {@code members} (row-major order) of {@code v}. */
    static Expected expect(ReduceOp op, DType in, Values v, List<Integer> members) {
        int n = members.size();
        switch (op) {
            case SUM: {
                if (!in.isFloatingPoint()) {
                    long s = 0;
                    for (int i : members) {
                        s += in == DType.BOOL ? (v.truth(i) ? 1 : 0) : v.integer(i);
                    }
                    return Expected.integer(s);
                }
                ExactSum s = new ExactSum();
                for (int i : members) {
                    s.add(v.real(i));
                }
                return Expected.real(s.value(), Tolerances.sum(in, n, s.sumAbs()));
            }
            case PROD: {
                if (!in.isFloatingPoint()) {
                    long p = 1;
                    for (int i : members) {
                        p *= in == DType.BOOL ? (v.truth(i) ? 1 : 0) : v.integer(i);
                    }
                    return Expected.integer(p);
                }
                double ieee = 1;
                BigDecimal exact = BigDecimal.ONE;
                for (int i : members) {
                    ieee *= v.real(i);
                    if (Double.isFinite(v.real(i))) {
                        exact = exact.multiply(new BigDecimal(v.real(i)), MathContext.DECIMAL128);
                    }
                }
                double p = Double.isFinite(ieee) ? exact.doubleValue() : ieee;
                return Expected.real(p, Tolerances.product(in, n, p));
            }
            case MAX, MIN: {
                boolean max = op == ReduceOp.MAX;
                if (in == DType.BOOL) {
                    boolean r = !max;
                    for (int i : members) {
                        r = max ? r || v.truth(i) : r && v.truth(i);
                    }
                    return Expected.truth(r);
                }
                if (in.isFloatingPoint()) {
                    double r = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                    for (int i : members) {
                        double x = v.real(i);
                        r = Double.isNaN(x) || Double.isNaN(r) ? Double.NaN : max ? Math.max(r, x) : Math.min(r, x);
                    }
                    return Expected.exact(r);
                }
                long r = max ? Long.MIN_VALUE : Long.MAX_VALUE;
                for (int i : members) {
                    r = max ? Math.max(r, v.integer(i)) : Math.min(r, v.integer(i));
                }
                return Expected.integer(r);
            }
            default: {
                boolean max = op == ReduceOp.ARGMAX;
                if (in.isFloatingPoint()) {
                    for (int k = 0; k < n; k++) {
                        if (Double.isNaN(v.real(members.get(k)))) {
                            return Expected.integer(k);
                        }
                    }
                }
                int best = 0;
                for (int k = 1; k < n; k++) {
                    int i = members.get(k);
                    int b = members.get(best);
                    boolean better = in.isFloatingPoint()
                            ? (max ? v.real(i) > v.real(b) : v.real(i) < v.real(b))
                            : (max ? v.integer(i) > v.integer(b) : v.integer(i) < v.integer(b));
                    if (better) {
                        best = k;
                    }
                }
                return Expected.integer(best);
            }
        }
    }
}
