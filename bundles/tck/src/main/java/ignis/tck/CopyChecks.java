package ignis.tck;

import ignis.tensor.DType;
import ignis.tensor.spi.DeviceBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * copy between every pair of dtypes (float16 and bfloat16 included), and fill with raw bits of
 * every dtype. Conversions follow PyTorch on the CPU: floats round to nearest even, overflowing to
 * infinity; floats to integers truncate toward zero (only values in range: out of range and NaN
 * are undefined in PyTorch); integers wrap; any non-zero (NaN included) is true.
 */
abstract class CopyChecks extends Checks {

    static final DType[] ALL = DType.values();

    @TestFactory
    Stream<DynamicTest> copy() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType src : ALL) {
            for (DType dst : ALL) {
                tests.add(DynamicTest.dynamicTest(src + " to " + dst, () -> check(src, dst)));
            }
        }
        return tests.stream();
    }

    private void check(DType src, DType dst) {
        Mismatches m = new Mismatches(title("copy " + src + " to " + dst));
        Pool pool = pool(src, dst);
        DType[] types = {src};
        Rule rule = (v, i) -> expect(src, dst, v[0], i);
        Call call = (o, x) -> backend().copy(o.view, x[0].view);
        List<Case> cases = List.of(
                Case.of("every pool value, contiguous", shape(pool.size()), Layout.CONTIGUOUS, Layout.CONTIGUOUS),
                Case.of("src transposed, dst stepped", shape(4, 5), Layout.STEPPED, Layout.TRANSPOSED),
                Case.of("src transposed-last-2, dst offset", shape(3, 7), Layout.OFFSET, Layout.TRANSPOSED_LAST2),
                Case.of("src broadcast-leading, dst transposed", shape(3, 4), Layout.TRANSPOSED, Layout.BROADCAST_LEADING),
                Case.of("src broadcast-all (expanded scalar), dst contiguous", shape(2, 3), Layout.CONTIGUOUS, Layout.BROADCAST_ALL),
                Case.of("src broadcast-trailing, dst transposed-last-2", shape(2, 3, 4), Layout.TRANSPOSED_LAST2, Layout.BROADCAST_TRAILING),
                Case.of("rank 0, both at offsets", shape(), Layout.OFFSET, Layout.OFFSET),
                Case.of("long rows, src stepped, dst contiguous", shape(2, 67), Layout.CONTIGUOUS, Layout.STEPPED),
                Case.inPlace("in place: dst is the very same view as src, stepped", shape(3, 4), 0, Layout.STEPPED));
        int n = 0;
        for (Case c : cases) {
            if (c.inPlace() >= 0 && src != dst) {
                continue;
            }
            runElementwise(m, c, types, dst, new Object[] {pool.take(c.numel(), 5 * n++)}, call, rule);
        }
        m.throwIfAny();
    }

    /** The source values of a conversion: special values of the source dtype that the conversion defines. */
    static Pool pool(DType src, DType dst) {
        long seed = 41L * src.ordinal() + dst.ordinal();
        if (src == DType.BOOL) {
            return Pool.ints(src, Pool.boolSpecials(), 0, 1, 8, seed);
        }
        if (!src.isFloatingPoint()) {
            long[] specials = {0, 1, -1, 2049, 2051, -2049, 65504, 65519, 65520, 70000, 16777217, -16777217,
                123456789, 255, 256, Integer.MAX_VALUE, Integer.MIN_VALUE, (1L << 53) + 1, -(1L << 53) - 1,
                1L << 40, (1L << 62) + 1, Long.MAX_VALUE, Long.MIN_VALUE, (1L << 32) + 5, -(1L << 32) + 5, 1L << 31};
            return Pool.ints(src, specials, -1_000_000, 1_000_000, 24, seed);
        }
        double[] candidates = {
            0.0, -0.0, 1, -1, 0.1, -2.75, 3.5, -7.5, 0.5, -0.5, 1.5, 2.5, -2.5, 1e-3, 100.25, -1e4, 0.49999997f,
            65504, 65519, 65520, 65536, 1e5, -1e5,
            1 + 0x1p-11, 1 + 3 * 0x1p-11, -(1 + 0x1p-11), 1 + 0x1p-11 + 0x1p-20, 2049, 2051,
            1 + 0x1p-8, 1 + 3 * 0x1p-8, 1 + 0x1p-8 + 0x1p-20, -(1 + 0x1p-8), 257, 259,
            0x1p-24, 0x1p-25, 3 * 0x1p-25, 0x1p-14, 0x1p-14 - 0x1p-25, 6e-8, 1e-40, 0x1p-149, 0x1p-133, 3 * 0x1p-134,
            3.4e38, Float.MAX_VALUE, -Float.MAX_VALUE, 0x1.FFp127, 1e39, 1e300, -1e300, Double.MIN_VALUE,
            (double) ((1L << 53) + 2), 1e18, -1e18, 2147483647.0, 2147483648.0, -2147483648.0, -2147483649.0,
            9.2e18, -0x1p63, 123456.789, 16777217, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
        };
        double[] specials = Arrays.stream(candidates)
                .map(x -> Numbers.round(x, src))
                .filter(x -> defined(x, dst))
                .toArray();
        return Pool.reals(src, specials, -1000, 1000, 24, seed);
    }

    /** Whether PyTorch defines the conversion of float {@code x} to {@code dst}: in range of an integer dtype. */
    private static boolean defined(double x, DType dst) {
        if (!dst.isIntegral()) {
            return true;
        }
        if (!Double.isFinite(x)) {
            return false;
        }
        double t = x < 0 ? Math.ceil(x) : Math.floor(x);
        return dst == DType.INT32 ? t >= Integer.MIN_VALUE && t <= Integer.MAX_VALUE : t >= -0x1p63 && t < 0x1p63;
    }

    static Expected expect(DType src, DType dst, Values v, int i) {
        if (dst == DType.BOOL) {
            return src == DType.BOOL ? Expected.truth(v.truth(i)) : Expected.bool(v.truth(i));
        }
        if (src == DType.BOOL) {
            int one = v.truth(i) ? 1 : 0;
            return dst.isFloatingPoint() ? Expected.exact(one) : Expected.integer(one);
        }
        if (dst.isIntegral()) {
            long x = src.isFloatingPoint() ? (long) v.real(i) : v.integer(i);
            return Expected.integer(Numbers.wrap(dst, x));
        }
        if (src.isFloatingPoint()) {
            double x = v.real(i);
            if (src == DType.FLOAT64 && !dst.isComputeType()) {
                // PyTorch converts double to half through float: either rounding is accepted.
                return Expected.anyOf(Expected.exact(Numbers.round(x, dst)), Expected.exact(Numbers.round((float) x, dst)));
            }
            return Expected.exact(Numbers.round(x, dst));
        }
        long x = v.integer(i);
        return switch (dst) {
            case FLOAT64 -> Expected.exact((double) x);
            case FLOAT32 -> Expected.exact((float) x);
            default -> Expected.anyOf(Expected.exact(Numbers.round((double) x, dst)), Expected.exact(Numbers.round((float) x, dst)));
        };
    }

    /** fill writes the low bytes of the bit pattern, as they are, into every element of any layout. */
    @TestFactory
    Stream<DynamicTest> fill() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dtype : ALL) {
            tests.add(DynamicTest.dynamicTest("fill " + dtype, () -> checkFill(dtype)));
        }
        return tests.stream();
    }

    static long[] fillPatterns(DType dtype) {
        return switch (dtype) {
            case BOOL -> new long[] {0, 1, 0x100, 0xABCD01};
            case INT32 -> new long[] {0, -1, 0xDEADBEEF_12345678L, Integer.MIN_VALUE};
            case INT64 -> new long[] {0, Long.MIN_VALUE, 0x0123456789ABCDEFL, -1};
            case FLOAT16 -> new long[] {0x3C00, 0x8000, 0x7E01, 0x0001, 0xFFFF_0000_0000_7BFFL};
            case BFLOAT16 -> new long[] {0x3F80, 0x8000, 0x7FC1, 0x0001, 0x1234_0000_0000_FF80L};
            case FLOAT32 -> new long[] {Float.floatToRawIntBits(1.5f), 0x80000000L, 0x7FC12345L, 1, 0xCAFEBABE_3F800000L};
            case FLOAT64 -> new long[] {Double.doubleToRawLongBits(1.5), Long.MIN_VALUE, 0x7FF8_0000_DEAD_BEEFL, 1,
                Double.doubleToRawLongBits(-Double.MAX_VALUE)};
        };
    }

    private void checkFill(DType dtype) {
        Mismatches m = new Mismatches(title("fill " + dtype));
        record Shape(long[] dims, Layout layout) {
        }
        List<Shape> shapes = List.of(new Shape(shape(37), Layout.CONTIGUOUS), new Shape(shape(4, 5), Layout.STEPPED),
                new Shape(shape(3, 4), Layout.TRANSPOSED), new Shape(shape(), Layout.OFFSET),
                new Shape(shape(300), Layout.OFFSET), new Shape(shape(2, 3, 4), Layout.TRANSPOSED_LAST2));
        for (long bits : fillPatterns(dtype)) {
            for (Shape s : shapes) {
                m.startCase("bits 0x" + Long.toHexString(bits) + ", " + s.layout() + " " + Layout.shapeText(s.dims()));
                try (Workspace w = workspace()) {
                    KitTensor out = w.output("out", dtype, s.dims(), s.layout());
                    backend().fill(out.view, bits);
                    Values got = w.read(out);
                    for (int i = 0; i < got.size(); i++) {
                        int e = i;
                        m.expect(Expected.bits(bits), got, i, () -> Mismatches.at(e, s.dims()));
                    }
                    w.checkStorage(out, true, m);
                } catch (RuntimeException e) {
                    m.thrown(e);
                }
            }
        }
        m.throwIfAny();
    }

    /**
     * A device backend's copyFromHost and copyToHost convert and follow strides as copy does. Skipped
     * (aborted) on backends without memory of their own.
     */
    @TestFactory
    Stream<DynamicTest> deviceTransfers() {
        Assumptions.assumeTrue(backend() instanceof DeviceBackend, "not a DeviceBackend: host memory only");
        DType[][] pairs = {
            {DType.FLOAT32, DType.FLOAT32}, {DType.FLOAT32, DType.FLOAT16}, {DType.FLOAT64, DType.FLOAT32},
            {DType.INT64, DType.INT32}, {DType.BFLOAT16, DType.FLOAT64}, {DType.FLOAT32, DType.INT64}, {DType.BOOL, DType.FLOAT32},
        };
        List<DynamicTest> tests = new ArrayList<>();
        for (DType[] p : pairs) {
            tests.add(DynamicTest.dynamicTest("copyFromHost and copyToHost " + p[0] + " to " + p[1], () -> checkTransfers(p[0], p[1])));
        }
        return tests.stream();
    }

    private void checkTransfers(DType src, DType dst) {
        DeviceBackend device = (DeviceBackend) backend();
        Mismatches m = new Mismatches(title("copyFromHost/copyToHost " + src + " to " + dst));
        Pool pool = pool(src, dst);
        long[] dims = shape(3, 5);
        Object values = pool.take(15, 3);
        try (Workspace onDevice = workspace(); Workspace onHost = Workspace.onHost(device)) {
            m.startCase("copyFromHost: host src transposed, device dst stepped");
            KitTensor hostSrc = onHost.input("src", src, dims, Layout.TRANSPOSED, values);
            KitTensor deviceDst = onDevice.output("dst", dst, dims, Layout.STEPPED);
            device.copyFromHost(deviceDst.view, hostSrc.view);
            compare(m, src, dst, hostSrc.values, onDevice.read(deviceDst));
            onDevice.checkStorage(deviceDst, true, m);
            m.startCase("copyToHost: device src stepped, host dst transposed-last-2");
            KitTensor deviceSrc = onDevice.input("src", src, dims, Layout.STEPPED, values);
            KitTensor hostDst = onHost.output("dst", dst, dims, Layout.TRANSPOSED_LAST2);
            device.copyToHost(hostDst.view, deviceSrc.view);
            device.synchronize();
            compare(m, src, dst, deviceSrc.values, onHost.read(hostDst));
            onHost.checkStorage(hostDst, true, m);
        } catch (RuntimeException e) {
            m.thrown(e);
        }
        m.throwIfAny();
    }

    private static void compare(Mismatches m, DType src, DType dst, Values in, Values got) {
        for (int i = 0; i < got.size(); i++) {
            int e = i;
            m.expect(expect(src, dst, in, i), got, i, () -> where(e, got.shape, in));
        }
    }
}
