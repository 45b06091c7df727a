package ignis.tck;

import ignis.tensor.DType;
import ignis.tensor.spi.ScatterMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * gather and scatter along every dim, with indices that repeat (scatter ADD accumulates them;
 * scatter SET keeps any one of the sources), over strided, broadcast and offset operands.
 */
abstract class GatherScatterChecks extends Checks {

    /** A gather or scatter: the data tensor (gather's in, scatter's out), the index (and src) shape, the dim, the layouts. */
    record IndexCase(String name, long[] data, long[] index, int dim, Layout dataLayout, Layout indexLayout, Layout otherLayout) {

        String title() {
            return name + ": data " + Layout.shapeText(data) + " " + dataLayout + ", dim " + dim + ", index "
                    + Layout.shapeText(index) + " " + indexLayout;
        }
    }

    static List<IndexCase> gatherCases() {
        return List.of(
                new IndexCase("contiguous", shape(4, 5, 3), shape(3, 6, 2), 1, Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.CONTIGUOUS),
                new IndexCase("dim 0, strided", shape(4, 5, 3), shape(6, 5, 3), 0, Layout.TRANSPOSED, Layout.STEPPED, Layout.OFFSET),
                new IndexCase("last dim, strided", shape(4, 5, 3), shape(4, 5, 7), 2, Layout.STEPPED, Layout.TRANSPOSED, Layout.TRANSPOSED),
                new IndexCase("one dim, repeated indices", shape(7), shape(10), 0, Layout.OFFSET, Layout.CONTIGUOUS, Layout.STEPPED),
                new IndexCase("index broadcast over rows", shape(4, 5), shape(4, 3), 1, Layout.TRANSPOSED_LAST2, Layout.BROADCAST_LEADING, Layout.CONTIGUOUS),
                new IndexCase("in broadcast along the dim", shape(4, 5), shape(4, 6), 1, Layout.BROADCAST_TRAILING, Layout.CONTIGUOUS, Layout.OFFSET),
                new IndexCase("index an expanded scalar", shape(3, 4), shape(5, 4), 0, Layout.CONTIGUOUS, Layout.BROADCAST_ALL, Layout.TRANSPOSED),
                new IndexCase("a single element", shape(1), shape(1), 0, Layout.OFFSET, Layout.OFFSET, Layout.OFFSET));
    }

    static List<IndexCase> scatterCases() {
        return List.of(
                new IndexCase("contiguous", shape(4, 5, 3), shape(3, 4, 2), 1, Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.CONTIGUOUS),
                new IndexCase("dim 0, strided, repeated indices", shape(4, 5, 3), shape(6, 5, 3), 0, Layout.STEPPED, Layout.TRANSPOSED, Layout.OFFSET),
                new IndexCase("last dim, strided, repeated indices", shape(4, 5, 3), shape(4, 5, 7), 2, Layout.TRANSPOSED, Layout.STEPPED, Layout.TRANSPOSED_LAST2),
                new IndexCase("one dim, src an expanded scalar", shape(7), shape(10), 0, Layout.OFFSET, Layout.CONTIGUOUS, Layout.BROADCAST_ALL),
                new IndexCase("index broadcast over rows", shape(4, 5), shape(4, 3), 1, Layout.TRANSPOSED_LAST2, Layout.BROADCAST_LEADING, Layout.CONTIGUOUS),
                new IndexCase("src broadcast over rows", shape(6, 2), shape(4, 2), 0, Layout.CONTIGUOUS, Layout.STEPPED, Layout.BROADCAST_LEADING),
                new IndexCase("a single element", shape(1), shape(1), 0, Layout.OFFSET, Layout.OFFSET, Layout.OFFSET));
    }

    @TestFactory
    Stream<DynamicTest> gather() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dtype : UnaryChecks.ANY) {
            tests.add(DynamicTest.dynamicTest("gather " + dtype, () -> checkGather(dtype)));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> scatter() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dtype : UnaryChecks.ANY) {
            tests.add(DynamicTest.dynamicTest("scatter SET " + dtype, () -> checkScatter(ScatterMode.SET, dtype)));
        }
        for (DType dtype : UnaryChecks.ARITHMETIC) {
            tests.add(DynamicTest.dynamicTest("scatter ADD " + dtype, () -> checkScatter(ScatterMode.ADD, dtype)));
        }
        return tests.stream();
    }

    /** Indices in range for {@code size}, row-major over {@code shape}. */
    static long[] indices(long[] shape, long size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] idx = new long[Values.numel(shape)];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = random.nextLong(size);
        }
        return idx;
    }

    private void checkGather(DType dtype) {
        Mismatches m = new Mismatches(title("gather " + dtype));
        Pool pool = Pool.general(dtype, 301 + dtype.ordinal());
        int n = 0;
        for (IndexCase c : gatherCases()) {
            m.startCase(c.title() + ", out " + c.otherLayout());
            try (Workspace w = workspace()) {
                KitTensor in = w.input("in", dtype, c.data(), c.dataLayout(), pool.take(Values.numel(c.data()), 11 * n));
                KitTensor index = w.input("index", DType.INT64, c.index(), c.indexLayout(), indices(c.index(), c.data()[c.dim()], n));
                KitTensor out = w.output("out", dtype, c.index(), c.otherLayout());
                backend().gather(out.view, in.view, c.dim(), index.view);
                Values got = w.read(out);
                for (int i = 0; i < got.size(); i++) {
                    long[] at = Values.unravel(i, c.index());
                    long[] source = at.clone();
                    source[c.dim()] = index.values.integer(i);
                    int from = Values.ravel(source, c.data());
                    int e = i;
                    m.expect(TernaryChecks.same(dtype, in.values, from), got, i, () -> Mismatches.at(e, c.index())
                            + " (index " + index.values.integer(e) + ", in" + Layout.shapeText(source) + " = " + in.values.show(from) + ")");
                }
                w.checkStorage(in, false, m);
                w.checkStorage(index, false, m);
                w.checkStorage(out, true, m);
            } catch (RuntimeException e) {
                m.thrown(e);
            }
            n++;
        }
        m.throwIfAny();
    }

    private void checkScatter(ScatterMode mode, DType dtype) {
        Mismatches m = new Mismatches(title("scatter " + mode + " " + dtype));
        Pool pool = Pool.general(dtype, 401 + dtype.ordinal() + 10L * mode.ordinal());
        int n = 0;
        for (IndexCase c : scatterCases()) {
            m.startCase(c.title() + ", src " + c.otherLayout());
            try (Workspace w = workspace()) {
                KitTensor out = w.input("out", dtype, c.data(), c.dataLayout(), pool.take(Values.numel(c.data()), 11 * n));
                KitTensor index = w.input("index", DType.INT64, c.index(), c.indexLayout(), indices(c.index(), c.data()[c.dim()], 50 + n));
                KitTensor src = w.input("src", dtype, c.index(), c.otherLayout(), pool.take(Values.numel(c.index()), 11 * n + 29));
                backend().scatter(mode, out.view, c.dim(), index.view, src.view);
                Values got = w.read(out);
                List<List<Integer>> hits = new ArrayList<>();
                for (int o = 0; o < got.size(); o++) {
                    hits.add(new ArrayList<>());
                }
                for (int j = 0; j < src.values.size(); j++) {
                    long[] target = Values.unravel(j, c.index());
                    target[c.dim()] = index.values.integer(j);
                    hits.get(Values.ravel(target, c.data())).add(j);
                }
                for (int o = 0; o < got.size(); o++) {
                    List<Integer> from = hits.get(o);
                    int e = o;
                    m.expect(expect(mode, dtype, out.values, o, src.values, from), got, o, () -> Mismatches.at(e, c.data())
                            + " (was " + out.values.show(e) + ", sources " + sources(src.values, from) + ")");
                }
                w.checkStorage(index, false, m);
                w.checkStorage(src, false, m);
                w.checkStorage(out, true, m);
            } catch (RuntimeException e) {
                m.thrown(e);
            }
            n++;
        }
        m.throwIfAny();
    }

    private static String sources(Values src, List<Integer> from) {
        StringBuilder b = new StringBuilder("[");
        for (int k = 0; k < from.size(); k++) {
            b.append(k == 0 ? "" : ", ").append(src.show(from.get(k)));
        }
        return b.append(']').toString();
    }

    static Expected expect(ScatterMode mode, DType dtype, Values before, int o, Values src, List<Integer> from) {
        if (from.isEmpty()) {
            return TernaryChecks.same(dtype, before, o);
        }
        if (mode == ScatterMode.SET) {
            Expected[] options = new Expected[from.size()];
            for (int k = 0; k < options.length; k++) {
                options[k] = TernaryChecks.same(dtype, src, from.get(k));
            }
            return Expected.anyOf(options);
        }
        if (!dtype.isFloatingPoint()) {
            long s = before.integer(o);
            for (int j : from) {
                s += src.integer(j);
            }
            return Expected.integer(Numbers.wrap(dtype, s));
        }
        ExactSum s = new ExactSum();
        s.add(before.real(o));
        for (int j : from) {
            s.add(src.real(j));
        }
        return Expected.real(s.value(), Tolerances.sum(dtype, s.terms(), s.sumAbs()));
    }
}
