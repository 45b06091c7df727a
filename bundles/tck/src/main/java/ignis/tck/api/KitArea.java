package ignis.tck.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import ignis.tensor.spi.Backend;
import java.util.Arrays;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.lifecycle.BeforeTry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

/**
 * What every area of the kit shares: the backend under test and its device, a scope around every
 * test (and every jqwik try) that closes the tensors it made, factories that put Java arrays on the
 * device under test, and assertions with stated tolerances.
 */
abstract class KitArea {

    /** The backend under test, unwrapped. */
    abstract Backend backend();

    private TensorScope scope;

    final Device device() {
        return backend().device();
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    @BeforeEach
    void openTestScope() {
        scope = Tensors.scope();
    }

    @AfterEach
    void closeTestScope() {
        scope.close();
    }

    @BeforeProperty
    void registerForProperty() {
        KitRegistration.acquire(backend());
    }

    @AfterProperty
    void releaseAfterProperty() {
        KitRegistration.release();
    }

    @BeforeTry
    void openTryScope() {
        scope = Tensors.scope();
    }

    @AfterTry
    void closeTryScope() {
        scope.close();
    }

    // ---- tensors on the device under test -----------------------------------------------------

    /** The tensor on the device under test: itself when it is there, else a copy (and the host one is closed). */
    final Tensor on(Tensor host) {
        if (host.device().equals(device())) {
            return host;
        }
        try (host) {
            return host.to(device());
        }
    }

    final Tensor f32(float[] values, long... shape) {
        return on(Tensors.of(values, shape));
    }

    final Tensor f32(double... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f32(f);
    }

    final Tensor f64(double[] values, long... shape) {
        return on(Tensors.of(values, shape));
    }

    final Tensor f64(double... values) {
        return f64(values, new long[0]);
    }

    final Tensor i32(int[] values, long... shape) {
        return on(Tensors.of(values, shape));
    }

    final Tensor i32(int... values) {
        return i32(values, new long[0]);
    }

    final Tensor i64(long[] values, long... shape) {
        return on(Tensors.of(values, shape));
    }

    final Tensor i64(long... values) {
        return i64(values, new long[0]);
    }

    final Tensor bools(boolean[] values, long... shape) {
        return on(Tensors.of(values, shape));
    }

    final Tensor bools(boolean... values) {
        return bools(values, new long[0]);
    }

    /** {@code values} in any dtype: made in float64 and converted (exact for every value a dtype can hold). */
    final Tensor typed(DType dtype, double[] values, long... shape) {
        try (Tensor exact = f64(values, shape)) {
            return exact.to(dtype);
        }
    }

    /** 0, 1, 2, ... as float64 in a shape. */
    final Tensor range64(long... shape) {
        return f64(Reference.iota(Shape.of(shape).numel()), shape);
    }

    final Tensor zeros(DType dtype, long... shape) {
        return Tensors.zeros(Shape.of(shape), dtype, device());
    }

    final Tensor ones(DType dtype, long... shape) {
        return Tensors.ones(Shape.of(shape), dtype, device());
    }

    /** A rank-0 tensor of a dtype on the device. */
    final Tensor scalarOf(DType dtype, double value) {
        return Tensors.full(Shape.scalar(), value, dtype, device());
    }

    // ---- assertions ---------------------------------------------------------------------------

    /** PyTorch's {@code torch.testing.assert_close} defaults for each dtype: |got - expected| <= atol + rtol * |expected|. */
    record Tolerance(double rtol, double atol) {
        static final Tolerance EXACT = new Tolerance(0, 0);

        static Tolerance of(DType dtype) {
            return switch (dtype) {
                case FLOAT16 -> new Tolerance(1e-3, 1e-5);
                case BFLOAT16 -> new Tolerance(1.6e-2, 1e-5);
                case FLOAT32 -> new Tolerance(1.3e-6, 1e-5);
                case FLOAT64 -> new Tolerance(1e-7, 1e-7);
                default -> EXACT;
            };
        }

        boolean accepts(double expected, double got) {
            if (Double.isNaN(expected) || Double.isNaN(got)) {
                return Double.isNaN(expected) && Double.isNaN(got);
            }
            if (Double.isInfinite(expected) || Double.isInfinite(got)) {
                return expected == got;
            }
            return Math.abs(got - expected) <= atol + rtol * Math.abs(expected);
        }
    }

    static void assertShape(Tensor t, long... dims) {
        assertEquals(Shape.of(dims), t.shape(), "shape");
    }

    static void assertDType(DType expected, Tensor t) {
        assertEquals(expected, t.dtype(), "dtype of " + t.shape());
    }

    /** Values within the tolerance of the tensor's dtype; NaN matches NaN, infinities match exactly. */
    static void assertClose(double[] expected, Tensor actual) {
        assertClose(expected, actual, Tolerance.of(actual.dtype()));
    }

    static void assertClose(double[] expected, Tensor actual, Tolerance tolerance) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, "number of elements of " + actual.shape());
        for (int i = 0; i < got.length; i++) {
            if (!tolerance.accepts(expected[i], got[i])) {
                fail("element " + i + " of " + actual.shape() + " " + actual.dtype() + ": expected " + expected[i]
                        + " but got " + got[i] + " (rtol " + tolerance.rtol() + ", atol " + tolerance.atol() + ")\nexpected "
                        + Arrays.toString(expected) + "\n     got " + Arrays.toString(got));
            }
        }
    }

    /** Exactly these values (NaN matches NaN; -0.0 matches 0.0). */
    static void assertExactly(double[] expected, Tensor actual) {
        assertClose(expected, actual, Tolerance.EXACT);
    }

    static void assertLongs(long[] expected, Tensor actual) {
        assertArrayEquals(expected, actual.toLongArray(), "values of " + actual.shape() + " " + actual.dtype());
    }

    static void assertBools(boolean[] expected, Tensor actual) {
        assertDType(DType.BOOL, actual);
        assertArrayEquals(expected, actual.toBooleanArray(), "values of " + actual.shape());
    }

    /** The op throws {@code type} with a message that contains every fragment. */
    static <T extends Throwable> T assertThrowsMentioning(Class<T> type, Executable op, String... fragments) {
        T thrown = assertThrows(type, op);
        String message = String.valueOf(thrown.getMessage());
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "the message should mention '" + fragment + "': " + message);
        }
        return thrown;
    }
}
