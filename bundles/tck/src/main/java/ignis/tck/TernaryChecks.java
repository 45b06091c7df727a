package ignis.tck;

import ignis.tensor.DType;
import ignis.tensor.spi.TernaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** WHERE over every dtype (bool condition with non-canonical trues) and CLAMP over the arithmetic dtypes. */
abstract class TernaryChecks extends Checks {

    @TestFactory
    Stream<DynamicTest> ternary() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dtype : UnaryChecks.ANY) {
            tests.add(DynamicTest.dynamicTest("WHERE " + dtype, () -> check(TernaryOp.WHERE, dtype)));
        }
        for (DType dtype : UnaryChecks.ARITHMETIC) {
            tests.add(DynamicTest.dynamicTest("CLAMP " + dtype, () -> check(TernaryOp.CLAMP, dtype)));
        }
        return tests.stream();
    }

    private void check(TernaryOp op, DType dtype) {
        Mismatches m = new Mismatches(title(op + " " + dtype));
        DType first = op == TernaryOp.WHERE ? DType.BOOL : dtype;
        DType[] types = {first, dtype, dtype};
        Pool[] pools = {
            Pool.general(first, 71L * dtype.ordinal() + op.ordinal()),
            Pool.general(dtype, 73L * dtype.ordinal() + op.ordinal()),
            Pool.general(dtype, 79L * dtype.ordinal() + op.ordinal()),
        };
        Rule rule = (v, i) -> expect(op, dtype, v, i);
        Call call = (o, x) -> backend().ternary(op, o.view, x[0].view, x[1].view, x[2].view);
        int pa = pools[0].specialCount();
        int pb = pools[1].specialCount();
        int triples = pa * pb * pools[2].specialCount();
        Case all = Case.of("every triple of special values, contiguous", shape(triples), Layout.CONTIGUOUS,
                Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.CONTIGUOUS);
        runElementwise(m, all, types, dtype,
                new Object[] {pools[0].tile(triples), pools[1].spread(triples, pa), pools[2].spread(triples, pa * pb)}, call, rule);
        int n = 0;
        for (Case c : elementwiseCases(types, dtype)) {
            n++;
            Object[] values = {pools[0].take(c.numel(), 7 * n), pools[1].take(c.numel(), 11 * n + 3), pools[2].take(c.numel(), 13 * n + 5)};
            runElementwise(m, c, types, dtype, values, call, rule);
        }
        m.throwIfAny();
    }

    static Expected expect(TernaryOp op, DType dtype, Values[] v, int i) {
        if (op == TernaryOp.WHERE) {
            Values chosen = v[0].truth(i) ? v[1] : v[2];
            return same(dtype, chosen, i);
        }
        if (dtype.isFloatingPoint()) {
            double x = v[0].real(i);
            double lo = v[1].real(i);
            double hi = v[2].real(i);
            if (Double.isNaN(x) || Double.isNaN(lo) || Double.isNaN(hi)) {
                return Expected.exact(Double.NaN);
            }
            return Expected.exact(Math.min(Math.max(x, lo), hi));
        }
        return Expected.integer(Math.min(Math.max(v[0].integer(i), v[1].integer(i)), v[2].integer(i)));
    }

    /** The expectation that an element equals element {@code i} of {@code source}, moved unchanged. */
    static Expected same(DType dtype, Values source, int i) {
        if (dtype == DType.BOOL) {
            return Expected.truth(source.truth(i));
        }
        if (dtype.isFloatingPoint()) {
            return Expected.exact(source.real(i));
        }
        return Expected.integer(source.integer(i));
    }
}
