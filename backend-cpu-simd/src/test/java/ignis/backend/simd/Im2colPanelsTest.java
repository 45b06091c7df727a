package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.spi.Conv2dParams;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The columns packed for the GEMM (b's panels, a's blocks) against the definition of im2col, entry by
 * entry, at the place each packing's layout defines: column
 * {@code s*L + oy*OW + ox}, row {@code (ci*KH + ki)*KW + kj} holds input {@code (oy - ph + ki*dh,
 * ox - pw + kj*dw)} of sample s, channel ci of the group, or zero in the padding; columns past the last
 * sample and padding rows are zero. Geometries: 3x3 "same", dilated, 5x5, planes narrower than a vector (a vector then
 * spans up to four samples), groups, and the first and last samples of the input, where the loads of
 * the padding rows would reach outside the input. The first geometry runs hot as well, so that the
 * compiled masked loads are checked, not only the interpreted ones.
 */
class Im2colPanelsTest {

    /** n, c, h, w, kh, kw, ph, pw, dh, dw, groups. */
    private static final int[][] CASES = {
        {13, 32, 14, 14, 3, 3, 1, 1, 1, 1, 1},
        {3, 4, 9, 10, 3, 3, 2, 2, 2, 2, 1},
        {3, 3, 6, 5, 5, 5, 2, 2, 1, 1, 1},
        {5, 4, 2, 2, 3, 3, 1, 1, 1, 1, 1},
        {2, 4, 3, 3, 5, 5, 2, 2, 1, 1, 1},
        {4, 8, 6, 5, 3, 3, 1, 1, 1, 1, 2},
        {3, 40, 5, 7, 1, 1, 0, 0, 1, 1, 1},
    };

    @Test
    void panelsHoldTheColumnsOfEverySampleAndZeroPastThem() {
        for (int[] c : CASES) {
            Setup s = new Setup(c);
            for (int group = 0; group < s.groups; group++) {
                for (int[] chunk : new int[][] {{0, s.n}, {0, 1}, {s.n - 1, 1}, {1, s.n - 1}}) {
                    s.check(group, chunk[0], chunk[1]);
                }
            }
        }
    }

    @Test
    void compiledPanelsMatchTheDefinition() {
        Setup s = new Setup(CASES[0]);
        for (int call = 0; call < 2000; call++) {
            s.fill(0, call % 4, 5, call % 2 == 0 ? Gemm.FLOATS.panelsOfB(s.g.k()) : new GemmFloat.BlocksOfA(s.g.k()));
        }
        for (int first = 0; first < 4; first++) {
            s.check(0, first, 5);
            s.check(0, s.n - 5, 5);
        }
    }

    @Test
    void onlyFloat32ConvolutionsWithSameRowsAndEnoughRowsAreHandled() {
        assertTrue(Im2colPanels.handles(geometry(new int[] {2, 32, 14, 14, 3, 3, 1, 1, 1, 1, 1}, DType.FLOAT32)));
        assertFalse(Im2colPanels.handles(geometry(new int[] {2, 32, 14, 14, 3, 3, 1, 1, 1, 1, 1}, DType.FLOAT64)));
        assertFalse(Im2colPanels.handles(geometry(new int[] {2, 1, 28, 28, 3, 3, 1, 1, 1, 1, 1}, DType.FLOAT32)), "9 rows");
        assertFalse(Im2colPanels.handles(geometry(new int[] {2, 32, 14, 14, 3, 3, 0, 0, 1, 1, 1}, DType.FLOAT32)), "narrower output");
    }

    private static ConvKernels.Geometry geometry(int[] c, DType type) {
        Conv2dParams p = new Conv2dParams(1, 1, c[6], c[7], c[8], c[9], c[10]);
        return ConvKernels.Geometry.of(new long[] {c[0], c[1], c[2], c[3]}, new long[] {c[1], c[1] / c[10], c[4], c[5]}, p, type);
    }

    /** Where the GEMM reads row p, column q of a packed operand: b's panels of nr columns, or a's blocks of KC columns. */
    private static int at(GemmFloat.Packing packing, int q, int p) {
        if (packing instanceof GemmFloat.PanelsOfB(int k, int nr)) {
            return q / nr * nr * k + p * nr + q % nr;
        }
        int rows = packing.rows();
        int kc = GemmFloat.KC;
        int ch = GemmFloat.CH;
        int mr = GemmFloat.MR;
        return q / kc * rows * kc + p / mr * mr * kc + q % kc / ch * ch * mr + p % mr * ch + q % ch;
    }

    private static final class Setup {
        final int n;
        final int groups;
        final ConvKernels.Geometry g;
        final MemorySegment x;
        final float[] values;
        float[] panels;

        Setup(int[] c) {
            n = c[0];
            groups = c[10];
            g = geometry(c, DType.FLOAT32);
            values = new float[n * g.c() * g.h() * g.w()];
            SplittableRandom random = new SplittableRandom(c[1] * 31L + c[2]);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextDouble(-1, 1);
            }
            // exactly the input: a load reaching outside it would throw, or read a neighbour's memory
            x = Arena.ofAuto().allocate((long) values.length * Float.BYTES, 4);
            MemorySegment.copy(values, 0, x, Elements.FLOAT, 0, values.length);
        }

        void fill(int group, int first, int samples, GemmFloat.Packing packing) {
            panels = new float[packing.size((long) samples * g.l())];
            Arrays.fill(panels, Float.NaN);
            long plane = (long) g.h() * g.w();
            Im2colPanels.fill(g, x, ((long) first * g.c() + (long) group * g.cg()) * plane, g.c() * plane, samples, panels, packing);
        }

        void check(int group, int first, int samples) {
            check(group, first, samples, Gemm.FLOATS.panelsOfB(g.k()));
            check(group, first, samples, new GemmFloat.BlocksOfA(g.k()));
        }

        /** Each entry where the packing's own formula, independent of the vectors, says it lies. */
        void check(int group, int first, int samples, GemmFloat.Packing packing) {
            fill(group, first, samples, packing);
            int k = g.k();
            int l = g.l();
            int rows = packing.rows();
            int columns = panels.length / rows;
            String what = g + " group " + group + ", samples " + first + ".." + (first + samples - 1);
            for (int q = 0; q < columns; q++) {
                for (int p = 0; p < k; p++) {
                    float expected = 0;
                    if (q < samples * l) {
                        int s = first + q / l;
                        int oy = q % l / g.ow();
                        int ox = q % l % g.ow();
                        int ci = p / (g.kh() * g.kw());
                        int ki = p / g.kw() % g.kh();
                        int kj = p % g.kw();
                        int iy = oy - g.ph() + ki * g.dh();
                        int ix = ox - g.pw() + kj * g.dw();
                        if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                            expected = values[((s * g.c() + group * g.cg() + ci) * g.h() + iy) * g.w() + ix];
                        }
                    }
                    assertEquals(expected, panels[at(packing, q, p)], what + " " + packing + ", column " + q + ", row " + p);
                }
                for (int p = k; p < rows; p++) {
                    assertEquals(0f, panels[at(packing, q, p)], what + " " + packing + ", column " + q + ", padding row " + p);
                }
            }
        }
    }
}
