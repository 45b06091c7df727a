package ignis.tck;

import ignis.tensor.DType;
import ignis.tensor.spi.Backend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What every group of checks shares: the backend under test and the elementwise case runner. */
abstract class Checks {

    /** The backend under test. */
    abstract Backend backend();

    Workspace workspace() {
        return new Workspace(backend());
    }

    String title(String what) {
        return what + " on backend '" + backend().name() + "'";
    }

    /**
     * One call of an elementwise kernel: a shape, the layout of the output and of each input, and
     * which input (if any) the output is the very same view as. An input layout of null makes that
     * input the very same view as input 0.
     */
    record Case(String name, long[] shape, Layout out, Layout[] inputs, int inPlace) {

        static Case of(String name, long[] shape, Layout out, Layout... inputs) {
            return new Case(name, shape, out, inputs, -1);
        }

        static Case inPlace(String name, long[] shape, int input, Layout... inputs) {
            return new Case(name, shape, null, inputs, input);
        }

        int numel() {
            return Values.numel(shape);
        }
    }

    static long[] shape(long... dims) {
        return dims;
    }

    /** The layouts every elementwise kernel is run over, after the first case of special values. */
    static List<Case> elementwiseCases(int arity) {
        List<Case> cases = new ArrayList<>();
        Layout[][] rows = {
            {Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.CONTIGUOUS},
            {Layout.TRANSPOSED, Layout.STEPPED, Layout.OFFSET},
            {Layout.BROADCAST_LEADING, Layout.BROADCAST_TRAILING, Layout.TRANSPOSED},
            {Layout.BROADCAST_ALL, Layout.OFFSET, Layout.STEPPED},
            {Layout.STEPPED, Layout.BROADCAST_ALL, Layout.BROADCAST_LEADING},
            {Layout.TRANSPOSED_LAST2, Layout.CONTIGUOUS, Layout.BROADCAST_ALL},
        };
        Layout[] outs = {Layout.CONTIGUOUS, Layout.STEPPED, Layout.TRANSPOSED, Layout.OFFSET, Layout.CONTIGUOUS, Layout.TRANSPOSED_LAST2};
        long[][] shapes = {{37}, {4, 5}, {2, 3, 4}, {6}, {3, 4}, {3, 2, 5}};
        for (int r = 0; r < rows.length; r++) {
            Layout[] in = Arrays.copyOf(rows[r], arity);
            cases.add(Case.of(describe(in, outs[r]), shapes[r], outs[r], in));
        }
        Layout[] rank0 = new Layout[arity];
        Arrays.fill(rank0, Layout.OFFSET);
        cases.add(Case.of("rank 0, all operands scalars at offsets", shape(), Layout.OFFSET, rank0));
        Layout[] wide = new Layout[arity];
        Arrays.fill(wide, Layout.CONTIGUOUS);
        wide[0] = Layout.STEPPED;
        cases.add(Case.of("long rows: " + describe(wide, Layout.CONTIGUOUS), shape(2, 67), Layout.CONTIGUOUS, wide));
        for (int k = 0; k < arity; k++) {
            Layout[] in = new Layout[arity];
            for (int j = 0; j < arity; j++) {
                in[j] = j == k ? (k % 2 == 0 ? Layout.STEPPED : Layout.TRANSPOSED) : rows[1 + j][j];
            }
            cases.add(Case.inPlace("in place: out is the very same view as input " + (char) ('a' + k) + "; "
                    + describe(in, null), shape(3, 4), k, in));
        }
        if (arity >= 2) {
            Layout[] same = new Layout[arity];
            Arrays.fill(same, Layout.CONTIGUOUS);
            same[0] = Layout.TRANSPOSED;
            same[1] = null;
            cases.add(Case.of("a and b the very same view; " + describe(same, Layout.OFFSET), shape(4, 3), Layout.OFFSET, same));
            cases.add(Case.inPlace("in place on a, b the same view as a", shape(5), 0, same));
        }
        return cases;
    }

    static String describe(Layout[] inputs, Layout out) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < inputs.length; k++) {
            b.append(k == 0 ? "" : ", ").append((char) ('a' + k)).append(' ').append(inputs[k] == null ? "same as a" : inputs[k]);
        }
        if (out != null) {
            b.append(", out ").append(out);
        }
        return b.toString();
    }

    /** Computes what element {@code i} of the output must be, from the operands' logical values. */
    interface Rule {
        Expected expect(Values[] operands, int i);
    }

    /** The kernel call of a case: out first, then the inputs. */
    interface Call {
        void run(KitTensor out, KitTensor[] inputs);
    }

    /**
     * Runs one elementwise case: builds the operands (input k from {@code values[k]}), calls the
     * kernel, and compares every output element with the rule and every storage with its former
     * contents (outside the output view).
     */
    void runElementwise(Mismatches m, Case c, DType[] inTypes, DType outType, Object[] values, Call call, Rule rule) {
        try (Workspace w = workspace()) {
            KitTensor[] in = new KitTensor[inTypes.length];
            for (int k = 0; k < in.length; k++) {
                in[k] = c.inputs()[k] == null ? in[0]
                        : w.input(String.valueOf((char) ('a' + k)), inTypes[k], c.shape(), c.inputs()[k], values[k]);
            }
            KitTensor out = c.inPlace() >= 0 ? in[c.inPlace()] : w.output("out", outType, c.shape(), c.out());
            Values[] operands = new Values[in.length];
            for (int k = 0; k < in.length; k++) {
                operands[k] = in[k].values;
            }
            m.startCase(c.name() + " " + Layout.shapeText(c.shape()));
            call.run(out, in);
            Values got = w.read(out);
            for (int i = 0; i < got.size(); i++) {
                int e = i;
                m.expect(rule.expect(operands, i), got, i, () -> where(e, c.shape(), operands));
            }
            for (KitTensor t : in) {
                if (t != out) {
                    w.checkStorage(t, false, m);
                }
            }
            w.checkStorage(out, true, m);
        } catch (RuntimeException e) {
            m.thrown(e);
        }
    }

    static String where(int i, long[] shape, Values... operands) {
        StringBuilder b = new StringBuilder(Mismatches.at(i, shape));
        for (int k = 0; k < operands.length; k++) {
            b.append(k == 0 ? " (" : ", ").append((char) ('a' + k)).append(" = ").append(operands[k].show(i));
        }
        return b.append(')').toString();
    }

    /** The elementwise cases that fit the operand dtypes: in place only where the dtypes allow it. */
    static List<Case> elementwiseCases(DType[] inTypes, DType outType) {
        List<Case> fitting = new ArrayList<>();
        for (Case c : elementwiseCases(inTypes.length)) {
            boolean ok = c.inPlace() < 0 || inTypes[c.inPlace()] == outType;
            for (int k = 0; k < inTypes.length; k++) {
                ok &= c.inputs()[k] != null || inTypes[k] == inTypes[0];
            }
            if (ok) {
                fitting.add(c);
            }
        }
        return fitting;
    }
}
