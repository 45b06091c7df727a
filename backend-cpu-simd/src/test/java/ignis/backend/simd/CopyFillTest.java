package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.spi.ElementMath;
import ignis.tensor.DType;
import ignis.tensor.spi.HostCopy;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * copy and fill at every length from 0 to 70: dense runs (bulk copies, doubling fills), broadcast
 * sources, strided runs, in place; the typed conversions; bfloat16 rounding.
 */
class CopyFillTest {

    private final SimdBackend backend = new SimdBackend();

    @Test
    void fillsLongerThanACopyPieceFillEveryElement() {
        long n = 3 * HostCopy.PIECE_BYTES / Long.BYTES + 5;
        ValueLayout.OfLong element = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(Elements.ORDER);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(n * Long.BYTES + Long.BYTES);
            CopyKernels.fillRun(memory, DType.INT64, 1, 1, n, 0x0123_4567_89AB_CDEFL);
            assertEquals(0, memory.getAtIndex(element, 0));
            for (long i = 1; i <= n; i++) {
                assertEquals(0x0123_4567_89AB_CDEFL, memory.getAtIndex(element, i), "element " + i);
            }
        }
    }

    @Test
    void sameTypeCopiesMoveBits() {
        SplittableRandom random = new SplittableRandom(3);
        for (DType type : DType.values()) {
            for (long n = 0; n <= ElementwiseBoundaryTest.MAX_LENGTH; n++) {
                TensorView[][] cases = {
                    {TestViews.dense(type, 1, n), TestViews.dense(type, 2, n)},
                    {TestViews.dense(type, 0, 2, n), TestViews.view(type, new long[] {2, n}, new long[] {n + 1, 1}, 3)},
                    {TestViews.stepped(type, 1, 2, n), TestViews.stepped(type, 0, 3, n)},
                    {TestViews.dense(type, 3, n), TestViews.broadcast(type, 1, n)},
                    // transposed sources: short runs of 3 and runs of n read across rows, in tiles
                    {TestViews.dense(type, 1, n, 3), TestViews.view(type, new long[] {n, 3}, new long[] {1, n}, 2)},
                    {TestViews.dense(type, 0, 3, n), TestViews.view(type, new long[] {3, n}, new long[] {1, 3}, 1)},
                    // a square transpose: whole 16 x 16 tiles (4-byte types in registers) and partial ones
                    {TestViews.dense(type, 2, n, n), TestViews.view(type, new long[] {n, n}, new long[] {1, n}, 1)},
                };
                for (TensorView[] c : cases) {
                    TensorView dst = c[0];
                    TensorView src = c[1];
                    for (long i = 0; i < src.numel(); i++) {
                        TestViews.setBits(src, i, random.nextLong());
                    }
                    backend.copy(dst, src);
                    for (long i = 0; i < dst.numel(); i++) {
                        assertEquals(TestViews.bits(src, i), TestViews.bits(dst, i), type + " n = " + n + " element " + i);
                    }
                    TestViews.assertOnlyViewWritten(dst);
                }
                TensorView self = TestViews.stepped(type, 1, 2, n);
                for (long i = 0; i < n; i++) {
                    TestViews.setBits(self, i, i * 0x0101010101L);
                }
                backend.copy(TestViews.same(self), self);
                for (long i = 0; i < n; i++) {
                    assertEquals(TestViews.bits(self, i), (i * 0x0101010101L) & mask(type), "in place, element " + i);
                }
            }
        }
    }

    /**
     * A transpose larger than the spans that go together (256), with edges; and spans whose sources
     * interleave (0, 2, ..., 14, 1, 3, ..., 15: first and last 15 apart, yet not a transpose): every bit
     * in its place.
     */
    @Test
    void largeAndInterleavedTransposesMoveBits() {
        int rows = 300;
        int cols = 275;
        TensorView[][] cases = {
            {TestViews.dense(DType.FLOAT32, 1, cols, rows), TestViews.view(DType.FLOAT32, new long[] {cols, rows}, new long[] {1, cols}, 3)},
            {TestViews.dense(DType.INT64, 1, cols, rows), TestViews.view(DType.INT64, new long[] {cols, rows}, new long[] {1, cols}, 3)},
            {TestViews.dense(DType.FLOAT32, 0, 2, 8, 40), TestViews.view(DType.FLOAT32, new long[] {2, 8, 40}, new long[] {1, 2, 16}, 0)},
        };
        for (TensorView[] c : cases) {
            TensorView dst = c[0];
            TensorView src = c[1];
            DType type = dst.dtype();
            SplittableRandom random = new SplittableRandom(11);
            for (long i = 0; i < src.numel(); i++) {
                TestViews.setBits(src, i, random.nextLong());
            }
            backend.copy(dst, src);
            for (long i = 0; i < dst.numel(); i++) {
                assertEquals(TestViews.bits(src, i), TestViews.bits(dst, i), type + " element " + i);
            }
            TestViews.assertOnlyViewWritten(dst);
        }
    }

    private static long mask(DType type) {
        return type.byteSize() == 8 ? -1L : (1L << (8 * type.byteSize())) - 1;
    }

    @Test
    void fillsEveryLengthAndLayout() {
        for (DType type : DType.values()) {
            long bits = 0x8877665544332211L;
            for (long n = 0; n <= ElementwiseBoundaryTest.MAX_LENGTH; n++) {
                for (TensorView out : new TensorView[] {TestViews.dense(type, 3, n), TestViews.stepped(type, 1, 2, 2, n),
                    TestViews.dense(type, 1, 2, 3, n)}) {
                    backend.fill(out, bits);
                    for (long i = 0; i < out.numel(); i++) {
                        assertEquals(bits & mask(type), TestViews.bits(out, i), type + " n = " + n + " element " + i);
                    }
                    TestViews.assertOnlyViewWritten(out);
                }
            }
        }
    }

    @Test
    void typedConversions() {
        for (long n = 0; n <= ElementwiseBoundaryTest.MAX_LENGTH; n++) {
            TensorView f = TestViews.stepped(DType.FLOAT32, 1, 2, n);
            TensorView d = TestViews.dense(DType.FLOAT64, 2, n);
            TensorView i = TestViews.dense(DType.INT32, 0, n);
            TensorView l = TestViews.stepped(DType.INT64, 3, 3, n);
            for (long k = 0; k < n; k++) {
                TestViews.set(d, k, k % 3 == 0 ? 1 + 0x1p-30 * k : -k / 3.0);
                TestViews.setLong(l, k, k % 2 == 0 ? (1L << 33) + k : -k);
            }
            backend.copy(f, d);
            backend.copy(i, l);
            for (long k = 0; k < n; k++) {
                assertEquals((float) TestViews.get(d, k), TestViews.get(f, k), "float64 to float32, element " + k);
                assertEquals((int) TestViews.getLong(l, k), TestViews.getLong(i, k), "int64 to int32, element " + k);
            }
            TestViews.assertOnlyViewWritten(f);
            TestViews.assertOnlyViewWritten(i);
            TensorView back = TestViews.dense(DType.FLOAT64, 1, n);
            backend.copy(back, f);
            for (long k = 0; k < n; k++) {
                assertEquals(TestViews.get(f, k), TestViews.get(back, k), "float32 to float64, element " + k);
            }
        }
    }

    @Test
    void floatToIntegerTruncatesAndBoolIsNonZero() {
        double[] values = {2.7, -2.7, -0.5, 0.0, -0.0, Double.NaN, 1e10};
        TensorView src = TestViews.dense(DType.FLOAT64, 0, values.length);
        for (int k = 0; k < values.length; k++) {
            TestViews.set(src, k, values[k]);
        }
        TensorView ints = TestViews.dense(DType.INT32, 0, values.length);
        TensorView bools = TestViews.dense(DType.BOOL, 0, values.length);
        backend.copy(ints, src);
        backend.copy(bools, src);
        long[] expectedInts = {2, -2, 0, 0, 0, 0, Integer.MAX_VALUE};
        long[] expectedBools = {1, 1, 1, 0, 0, 1, 1};
        for (int k = 0; k < values.length; k++) {
            assertEquals(expectedInts[k], TestViews.getLong(ints, k), "int32 of " + values[k]);
            assertEquals(expectedBools[k], TestViews.getLong(bools, k), "bool of " + values[k]);
        }
    }

    @Test
    void bfloat16RoundsToNearestEvenAndKeepsNaN() {
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to even gives 1; 1 + 3 * 2^-8 gives 1 + 2^-6.
        assertEquals(0x3F80, ElementMath.floatToBfloat16(1 + 0x1p-8f) & 0xFFFF);
        assertEquals(0x3F82, ElementMath.floatToBfloat16(1 + 3 * 0x1p-8f) & 0xFFFF);
        assertEquals(0x3F81, ElementMath.floatToBfloat16(1 + 0x1p-8f + 0x1p-20f) & 0xFFFF);
        assertEquals(0x7F80, ElementMath.floatToBfloat16(Float.MAX_VALUE) & 0xFFFF, "overflows to infinity");
        assertEquals(0xFF80, ElementMath.floatToBfloat16(Float.NEGATIVE_INFINITY) & 0xFFFF);
        // A NaN whose payload is only in the low half stays NaN (not infinity).
        short nan = ElementMath.floatToBfloat16(Float.intBitsToFloat(0x7F800001));
        assertEquals(true, Float.isNaN(ElementMath.bfloat16ToFloat(nan)));
        assertEquals(0x8000, ElementMath.floatToBfloat16(-0.0f) & 0xFFFF);
        assertEquals(1.5f, ElementMath.bfloat16ToFloat((short) 0x3FC0));
    }
}
