package ignis.tck.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.Generator;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import ignis.tensor.spi.Philox;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Factories: constants, ranges, identity, random draws, Java arrays and scalars; and dtype conversions. */
abstract class CreationCases extends KitArea {

    @Test
    void zerosOnesAndFullHaveTheirShapeDTypeAndValuesInEveryDType() {
        for (DType dtype : DType.values()) {
            Tensor z = Tensors.zeros(Shape.of(2, 3), dtype, device());
            Tensor o = Tensors.ones(Shape.of(2, 3), dtype, device());
            Tensor f = Tensors.full(Shape.of(4), 2.0, dtype, device());
            assertShape(z, 2, 3);
            assertDType(dtype, z);
            assertEquals(device(), z.device());
            assertExactly(new double[6], z);
            assertExactly(new double[] {1, 1, 1, 1, 1, 1}, o);
            double two = dtype == DType.BOOL ? 1 : 2; // torch.full((4,), 2.0, dtype=torch.bool) is all True
            assertExactly(new double[] {two, two, two, two}, f);
        }
    }

    @Test
    void fullKeepsInt64ValuesBeyondTwoToThe53Exactly() {
        long[] values = {(1L << 53) + 1, Long.MAX_VALUE, Long.MIN_VALUE, -(1L << 62) - 3};
        for (long v : values) {
            Tensor t = Tensors.full(Shape.of(3), v, DType.INT64, device());
            assertLongs(new long[] {v, v, v}, t);
            assertEquals(v, Tensors.full(Shape.scalar(), v, DType.INT64, device()).itemLong());
        }
        assertEquals((1L << 53) + 1, Tensors.scalar((1L << 53) + 1).itemLong());
    }

    @Test
    void fullWithAFractionalValueTruncatesTowardZeroForIntegers() {
        // torch.full((2,), 2.7, dtype=torch.int32) -> tensor([2, 2], dtype=torch.int32)
        assertLongs(new long[] {2, 2}, Tensors.full(Shape.of(2), 2.7, DType.INT32, device()));
        assertLongs(new long[] {-2, -2}, Tensors.full(Shape.of(2), -2.7, DType.INT64, device()));
    }

    @Test
    void integerArangeCountsLikePythonRange() {
        Tensor a = on(Tensors.arange(5));
        assertDType(DType.INT64, a);
        assertLongs(new long[] {0, 1, 2, 3, 4}, a);
        assertLongs(new long[] {1, 4, 7}, on(Tensors.arange(1, 10, 3)));
        assertLongs(new long[] {10, 7, 4, 1}, on(Tensors.arange(10, 0, -3)));
        assertLongs(new long[] {-2, -1}, on(Tensors.arange(-2, 0, 1)));
        assertShape(on(Tensors.arange(3, 3, 1)), 0);
        assertShape(on(Tensors.arange(5, 0, 1)), 0);
        assertThrows(IllegalArgumentException.class, () -> Tensors.arange(0, 5, 0));
    }

    @Test
    void floatingArangeStopsBeforeTheEnd() {
        // torch.arange(0, 1, 0.1) has 10 elements, start + i * step computed in double
        Tensor a = Tensors.arange(0, 1, 0.1, DType.FLOAT32, device());
        assertDType(DType.FLOAT32, a);
        assertShape(a, 10);
        double[] expected = new double[10];
        for (int i = 0; i < 10; i++) {
            expected[i] = (float) (i * 0.1);
        }
        assertExactly(expected, a);
        assertExactly(new double[] {1, 1.5, 2}, Tensors.arange(1, 2.5, 0.5, DType.FLOAT64, device()));
        assertExactly(new double[] {-1, -1.25, -1.5, -1.75}, Tensors.arange(-1, -2, -0.25, DType.FLOAT64, device()));
        assertShape(Tensors.arange(0, 1, 0.3, DType.FLOAT64, device()), 4);
        assertShape(Tensors.arange(1, 0, 0.5, DType.FLOAT64, device()), 0);
        assertThrows(IllegalArgumentException.class, () -> Tensors.arange(0.0, 1.0, 0.0));
    }

    @Test
    void linspaceHitsBothEndpointsExactly() {
        assertExactly(new double[] {0, 0.25, 0.5, 0.75, 1}, Tensors.linspace(0, 1, 5, DType.FLOAT32, device()));
        assertExactly(new double[] {1, 0.5, 0}, Tensors.linspace(1, 0, 3, DType.FLOAT32, device()));

        Tensor awkward = Tensors.linspace(0.1, 0.7, 7, DType.FLOAT32, device());
        double[] v = awkward.toDoubleArray();
        assertEquals((double) 0.1f, v[0], 0);
        assertEquals((double) 0.7f, v[6], 0);
        for (int i = 0; i < 7; i++) {
            assertEquals(0.1 + i * 0.1, v[i], 2.4e-7 * 0.7, "element " + i);
        }

        Tensor fine = Tensors.linspace(-1, 1, 2001, DType.FLOAT64, device());
        double[] w = fine.toDoubleArray();
        assertEquals(-1, w[0], 0);
        assertEquals(1, w[2000], 0);
        for (int i = 0; i < w.length; i++) {
            assertEquals(-1 + i * 0.001, w[i], 1e-15, "element " + i);
        }

        assertExactly(new double[] {3}, Tensors.linspace(3, 5, 1, DType.FLOAT32, device()));
        assertShape(Tensors.linspace(3, 5, 0, DType.FLOAT32, device()), 0);
        assertThrows(IllegalArgumentException.class, () -> Tensors.linspace(0, 1, -1));
    }

    @Test
    void eyeIsTheIdentity() {
        Tensor square = Tensors.eye(3, 3, DType.FLOAT32, device());
        assertShape(square, 3, 3);
        assertExactly(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, square);
        Tensor wide = Tensors.eye(2, 3, DType.INT64, device());
        assertDType(DType.INT64, wide);
        assertLongs(new long[] {1, 0, 0, 0, 1, 0}, wide);
        assertBools(new boolean[] {true, false, false, true, false, false}, Tensors.eye(3, 2, DType.BOOL, device()));
        assertShape(Tensors.eye(0, 0, DType.FLOAT32, device()), 0, 0);
        assertThrows(IllegalArgumentException.class, () -> Tensors.eye(-1, 2, DType.FLOAT32, device()));
    }

    @Test
    void randIsUniformOnTheUnitInterval() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor r = Tensors.rand(Shape.of(100, 100), dtype, device(), new Generator(1));
            assertDType(dtype, r);
            double[] v = r.toDoubleArray();
            double mean = Arrays.stream(v).average().orElseThrow();
            assertTrue(Arrays.stream(v).allMatch(x -> x >= 0 && x < 1), "all draws in [0, 1)");
            assertEquals(0.5, mean, 0.02, "mean of 10000 uniform draws");
            assertTrue(Arrays.stream(v).min().orElseThrow() < 0.01 && Arrays.stream(v).max().orElseThrow() > 0.99);
        }
    }

    @Test
    void randnIsStandardNormal() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double[] v = Tensors.randn(Shape.of(10000), dtype, device(), new Generator(2)).toDoubleArray();
            double mean = Arrays.stream(v).average().orElseThrow();
            double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
            assertEquals(0, mean, 0.05, "mean");
            assertEquals(1, var, 0.06, "variance");
            assertTrue(Arrays.stream(v).allMatch(Double::isFinite));
        }
    }

    @Test
    void randintStaysInItsHalfOpenRange() {
        for (DType dtype : new DType[] {DType.INT64, DType.INT32, DType.FLOAT32}) {
            Tensor r = Tensors.randint(-3, 4, Shape.of(5000), dtype, device(), new Generator(3));
            assertDType(dtype, r);
            boolean[] seen = new boolean[7];
            for (double x : r.toDoubleArray()) {
                assertTrue(x >= -3 && x < 4 && x == Math.rint(x), "draw " + x + " of randint(-3, 4)");
                seen[(int) x + 3] = true;
            }
            for (boolean s : seen) {
                assertTrue(s, "every value of [-3, 4) is drawn in 5000 tries");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Tensors.randint(4, 4, Shape.of(2), DType.INT64, device(), new Generator(1)));
    }

    @Test
    void floatDistributionsRejectIntegerDTypes() {
        assertThrows(IllegalArgumentException.class, () -> Tensors.rand(Shape.of(2), DType.INT32, device(), new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> Tensors.randn(Shape.of(2), DType.BOOL, device(), new Generator(1)));
    }

    @Test
    void manualSeedMakesTheDefaultGeneratorRepeatable() {
        Tensors.manualSeed(1234);
        double[] first = Tensors.rand(Shape.of(6), DType.FLOAT32, device(), Generator.defaultGenerator()).toDoubleArray();
        double[] second = Tensors.rand(Shape.of(6), DType.FLOAT32, device(), Generator.defaultGenerator()).toDoubleArray();
        Tensors.manualSeed(1234);
        double[] again = Tensors.rand(Shape.of(6), DType.FLOAT32, device(), Generator.defaultGenerator()).toDoubleArray();
        assertArrayEquals(first, again);
        assertFalse(Arrays.equals(first, second), "the next draw continues the stream");
        Tensors.manualSeed(4321);
        assertFalse(Arrays.equals(first, Tensors.rand(Shape.of(6), DType.FLOAT32, device(), Generator.defaultGenerator()).toDoubleArray()));
    }

    @Test
    void generatorsAreCounterBased() {
        Generator a = new Generator(7);
        Generator b = new Generator(7);
        double[] x = Tensors.randn(Shape.of(4), DType.FLOAT64, device(), a).toDoubleArray();
        assertArrayEquals(x, Tensors.randn(Shape.of(4), DType.FLOAT64, device(), b).toDoubleArray());
        assertEquals(4, a.offset());
        // draws depend only on the seed and the count drawn before: 3 then 5 equals 8 at once
        Generator split = new Generator(9);
        double[] head = Tensors.rand(Shape.of(3), DType.FLOAT32, device(), split).toDoubleArray();
        double[] tail = Tensors.rand(Shape.of(5), DType.FLOAT32, device(), split).toDoubleArray();
        double[] whole = Tensors.rand(Shape.of(8), DType.FLOAT32, device(), new Generator(9)).toDoubleArray();
        assertArrayEquals(whole, concat(head, tail));
        assertFalse(Arrays.equals(x, Tensors.randn(Shape.of(4), DType.FLOAT64, device(), new Generator(8)).toDoubleArray()));
    }

    @Test
    void randomDrawsFollowThePhiloxSpecificationOnEveryBackend() {
        long seed = 0x1234_5678_9ABCL;
        double[] u32 = Tensors.rand(Shape.of(2, 5), DType.FLOAT32, device(), new Generator(seed)).toDoubleArray();
        double[] u64 = Tensors.rand(Shape.of(10), DType.FLOAT64, device(), new Generator(seed)).toDoubleArray();
        double[] n32 = Tensors.randn(Shape.of(10), DType.FLOAT32, device(), new Generator(seed)).toDoubleArray();
        double[] n64 = Tensors.randn(Shape.of(10), DType.FLOAT64, device(), new Generator(seed)).toDoubleArray();
        long[] ints = Tensors.randint(-5, 1000, Shape.of(10), DType.INT64, device(), new Generator(seed)).toLongArray();
        for (int i = 0; i < 10; i++) {
            assertEquals(Philox.uniform32(seed, i), u32[i], 0, "rand float32 element " + i);
            assertEquals(Philox.uniform64(seed, i), u64[i], 0, "rand float64 element " + i);
            assertEquals(Philox.normal32(seed, i), n32[i], 0, "randn float32 element " + i);
            assertEquals(Philox.normal64(seed, i), n64[i], 0, "randn float64 element " + i);
            assertEquals(Philox.integer(seed, i, -5, 1000), ints[i], "randint element " + i);
        }
    }

    @Test
    void philoxMatchesTheRandom123KnownAnswers() {
        // Random123 tests/kat_vectors, the three "philox4x32 10" lines: counter words, key words, result
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, Philox.block(0, 0, 0, 0, 0, 0));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}, Philox.block(-1, -1, -1, -1, -1, -1));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                Philox.block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0));
    }

    @Test
    void arraysBecomeTensorsOfTheirDTypeInTheGivenShape() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = f32(data, 2, 3);
        assertShape(t, 2, 3);
        assertDType(DType.FLOAT32, t);
        data[0] = 100; // the tensor holds a copy
        assertExactly(new double[] {1, 2, 3, 4, 5, 6}, t);
        assertDType(DType.FLOAT64, f64(1.5, 2.5));
        assertDType(DType.INT32, i32(1, 2));
        Tensor longs = i64(new long[] {(1L << 53) + 1, -7}, 2, 1);
        assertShape(longs, 2, 1);
        assertLongs(new long[] {(1L << 53) + 1, -7}, longs);
        assertBools(new boolean[] {true, false, true}, bools(true, false, true));
        Tensor rows = on(Tensors.of(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        assertShape(rows, 2, 3);
        assertExactly(new double[] {1, 2, 3, 4, 5, 6}, rows);
        assertShape(on(Tensors.of(new double[0])), 0);
    }

    @Test
    void arraysThatDoNotFitTheShapeAreRejected() {
        assertThrowsMentioning(IllegalArgumentException.class, () -> Tensors.of(new float[5], 2, 3), "[2, 3]", "5");
        assertThrows(IllegalArgumentException.class, () -> Tensors.of(new long[6], 4, -1));
        assertThrows(IllegalArgumentException.class, () -> Tensors.of(new float[][] {{1, 2}, {3}}));
    }

    @Test
    void scalarsHaveRankZeroAndOneElement() {
        Tensor s = on(Tensors.scalar(2.5));
        assertEquals(0, s.dim());
        assertShape(s);
        assertEquals(1, s.numel());
        assertDType(DType.FLOAT32, s);
        assertEquals(2.5, s.item());
        Tensor n = on(Tensors.scalar(7L));
        assertDType(DType.INT64, n);
        assertEquals(7, n.itemLong());
        assertThrows(IllegalStateException.class, () -> f32(1, 2).item());
        assertEquals(3.0, f32(new float[] {3}, 1, 1).item(), "item() of any one-element tensor");
    }

    @Test
    void onlyFloatingTensorsCanRequireGradients() {
        // torch.tensor([1]).requires_grad_() -> RuntimeError: only Tensors of floating point dtype can require gradients
        assertThrows(IllegalArgumentException.class, () -> i64(1).requiresGrad_(true));
        assertThrows(IllegalArgumentException.class, () -> bools(true).requiresGrad_(true));
        Tensor f = f32(1);
        assertTrue(f.requiresGrad_(true).requiresGrad());
        assertFalse(f.requiresGrad_(false).requiresGrad());
    }

    @Test
    void conversionsFollowPyTorch() {
        // float to integer truncates toward zero: torch.tensor([1.7, -1.7, 2.5]).int() -> [1, -1, 2]
        assertLongs(new long[] {1, -1, 2, 0}, f32(1.7, -1.7, 2.5, -0.5).to(DType.INT32));
        // to bool: non-zero (NaN included) is True
        assertBools(new boolean[] {false, true, true, false}, f64(0, Double.NaN, -0.25, -0.0).to(DType.BOOL));
        assertBools(new boolean[] {false, true, true}, i64(0, 2, -1).to(DType.BOOL));
        assertExactly(new double[] {1, 0}, bools(true, false).to(DType.FLOAT32));
        // int64 to int32 wraps: torch.tensor([2**32 + 5]).int() -> 5
        assertLongs(new long[] {5, -1}, i64((1L << 32) + 5, (1L << 32) - 1).to(DType.INT32));
        // int64 to float64 rounds to nearest even: 2^53 + 1 -> 2^53
        assertExactly(new double[] {0x1p53}, i64((1L << 53) + 1).to(DType.FLOAT64));
        // float16: 65519 rounds to the largest half 65504, 65520 overflows to inf
        assertExactly(new double[] {65504, Double.POSITIVE_INFINITY, Reference.toFloat16(1.0 / 3)},
                f32(65519, 65520, 1.0 / 3).to(DType.FLOAT16));
        // bfloat16 keeps float32's exponent: 1/3 -> 0.333984375, 3e38 stays finite
        assertExactly(new double[] {0.333984375, Reference.toBFloat16(3e38)}, f32(1.0 / 3, 3e38).to(DType.BFLOAT16));
        Tensor same = f32(1, 2);
        Tensor alias = same.to(DType.FLOAT32);
        assertTrue(alias.sharesMemoryWith(same), "to() its own dtype copies nothing");
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
