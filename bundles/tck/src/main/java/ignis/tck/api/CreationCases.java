package ignis.tck.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.Generator;
import ignis.tensor.Mt19937;
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
    void mt19937DrawsWhatTorchManualSeedDrawsOnTheCpu() {
        // PyTorch 1.13 on the CPU: torch.manual_seed(0); torch.rand(3)
        assertArrayEquals(new double[] {0.49625658988952637, 0.7682217955589294, 0.08847743272781372},
                Tensors.rand(Shape.of(3), DType.FLOAT32, device(), Generator.mt19937(0)).toDoubleArray());
        // torch.manual_seed(0); torch.rand(5, dtype=torch.float64)
        assertArrayEquals(new double[] {0.9700530018065531, 0.707819864399788, 0.45938294312745087, 0.9207476841219603, 0.6450241201227648},
                Tensors.rand(Shape.of(5), DType.FLOAT64, device(), Generator.mt19937(0)).toDoubleArray());
        // torch.manual_seed(3); torch.empty(6).uniform_(-0.7, 2.3), in float32 and float64
        Generator three = Generator.mt19937(3);
        Generator threeAgain = Generator.mt19937(3);
        assertArrayEquals(new double[] {-0.68720942735672, -0.38329190015792847, 0.15752744674682617, -0.6191354990005493,
                        0.7148430943489075, -0.5196511149406433},
                Tensors.zeros(Shape.of(6), DType.FLOAT32, device()).uniform_(-0.7, 2.3, three).toDoubleArray());
        assertArrayEquals(new double[] {-0.5976754130484385, 0.16022068016392088, 1.618744832985753, -0.17521891215611596,
                        1.5661096149376967, 1.124751880762115},
                Tensors.zeros(Shape.of(6), DType.FLOAT64, device()).uniform_(-0.7, 2.3, threeAgain).toDoubleArray());
        assertEquals(6, three.offset());
        // torch.manual_seed(0); a = torch.randn(3, dtype=torch.float64); b = torch.randn(3, dtype=torch.float64):
        // b begins with the second normal of a's last Box-Muller pair
        Generator zero = Generator.mt19937(0);
        double[] a = Tensors.randn(Shape.of(3), DType.FLOAT64, device(), zero).toDoubleArray();
        double[] b = Tensors.randn(Shape.of(3), DType.FLOAT64, device(), zero).toDoubleArray();
        assertArrayEquals(new double[] {1.5409961082440433, -0.2934289057609464, -2.1787893820745574, 0.5684312772806678,
                -1.084522342424021, -1.3985953953708767}, concat(a, b));
        // torch.manual_seed(0); torch.empty(n).normal_(1.5, 2.0): 5 normals one by one, 20 from blocks of 16
        assertArrayEquals(new double[] {4.581992216488087, 0.9131421884781072, -2.857578764149115, 2.6368625545613353, -0.6690446848480418},
                Tensors.zeros(Shape.of(5), DType.FLOAT64, device()).normal_(1.5, 2.0, Generator.mt19937(0)).toDoubleArray());
        assertArrayEquals(new double[] {4.581992149353027, 0.913142204284668, -2.857578754425049, 2.6368625164031982, -0.6690446734428406},
                Tensors.zeros(Shape.of(5), DType.FLOAT32, device()).normal_(1.5, 2.0, Generator.mt19937(0)).toDoubleArray());
        // ... and with a mean and deviation that float32 cannot hold: torch.empty(5).normal_(0.1, 0.3), .uniform_(0.1, 0.3)
        assertArrayEquals(new double[] {0.5622988343238831, 0.011971328407526016, -0.5536367893218994, 0.2705293893814087, -0.22535669803619385},
                Tensors.zeros(Shape.of(5), DType.FLOAT32, device()).normal_(0.1, 0.3, Generator.mt19937(0)).toDoubleArray());
        assertArrayEquals(new double[] {0.19925132393836975, 0.2536443769931793, 0.11769548803567886, 0.12640610337257385, 0.16148456931114197},
                Tensors.zeros(Shape.of(5), DType.FLOAT32, device()).uniform_(0.1, 0.3, Generator.mt19937(0)).toDoubleArray());
        double[] blocks64 = {-3.120823600468352, 0.7534982774844714, -0.6216333570925725, 3.4990187095623524, 1.4600704981844748,
            1.9205997802033894, 1.8543787027873317, -0.16102010201689798, 1.9774361163363412, 2.967056737054568, -1.1437636582842754,
            4.129622730394247, 0.12599261191290734, 4.476148631621345, 0.6031683905770978, -0.28200607034147507, 2.8497150871880077,
            3.593730753962931, 1.808590357293179, 0.00021695432161172867};
        assertArrayEquals(blocks64, Tensors.zeros(Shape.of(20), DType.FLOAT64, device()).normal_(1.5, 2.0, Generator.mt19937(0)).toDoubleArray());
        // float32 blocks: PyTorch's AVX2 kernel has its own log, sin and cos, so only close
        double[] blocks32 = {-0.7516796588897705, -0.804720401763916, 0.9988428354263306, 0.6322423815727234, 2.697679042816162,
            -1.6101901531219482, 0.8172792196273804, 5.20601224899292, 2.436192750930786, 1.184575080871582, 4.387320518493652,
            2.0320987701416016, 4.2787322998046875, 4.67266845703125, 3.39259672164917, -0.1873534917831421, 3.3636531829833984,
            4.01801872253418, 5.509961128234863, 1.6074738502502441};
        assertArrayEquals(blocks32, Tensors.zeros(Shape.of(20), DType.FLOAT32, device()).normal_(1.5, 2.0, Generator.mt19937(0)).toDoubleArray(),
                2e-6);
        // torch.manual_seed(5); torch.randint(3, 10, (8,)), and with a range wider than 32 bits
        assertLongs(new long[] {4, 8, 5, 6, 9, 4, 4, 6},
                Tensors.randint(3, 10, Shape.of(8), DType.INT64, device(), Generator.mt19937(5)));
        assertLongs(new long[] {425438759118L, 1030067709629L, 989404716150L, 622681974857L},
                Tensors.randint(-(1L << 40), 1L << 40, Shape.of(4), DType.INT64, device(), Generator.mt19937(5)));
        // torch.randperm(n, generator=torch.Generator().manual_seed(s)) for s = 0 and 2**33 + 5
        assertArrayEquals(new int[] {4, 0, 1, 3, 2}, new Mt19937(0).permutation(5));
        assertArrayEquals(new int[] {1, 4, 9, 6, 3, 5, 0, 2, 8, 7}, new Mt19937((1L << 33) + 5).permutation(10));
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
