package ignis.tck;

import ignis.tensor.spi.Backend;
import java.util.Objects;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;

/**
 * The conformance kit every Ignis backend runs against itself. A backend module adds one test class:
 *
 * <pre>{@code
 * class MyBackendConformanceTest extends BackendConformanceKit {
 *     @Override
 *     protected Backend backend() {
 *         return new MyBackend();
 *     }
 * }
 * }</pre>
 *
 * The nested groups check every primitive of the SPI: copy between every pair of dtypes and fill
 * ({@code copy}), random draws and the Philox generator ({@code random}), every unary, binary and
 * ternary op for every dtype its rule admits ({@code unary}, {@code binary}, {@code ternary}),
 * reductions ({@code reduce}), batched matmul ({@code matmul}), gather and scatter
 * ({@code gather-scatter}); each group carries the tag in parentheses, so a run can select groups.
 * Every kernel runs over contiguous, strided (transposed, sliced with steps, at offsets), broadcast
 * (stride 0) and rank-0 operands, in place where the op allows it, with NaN, infinities, -0.0,
 * subnormals and extremes among the values. Expected values are the kit's own float64 (or exact)
 * evaluations; the tolerances are stated and justified in one place ({@code Tolerances}). Storage
 * around every view is checked to be untouched. A {@link ignis.tensor.spi.DeviceBackend} gets its
 * operands in its own memory and is synchronized before results are read.
 *
 * <p>Kernels never see empty views (the core handles numel 0), so the kit has no zero-size cases.
 * {@link #backend()} is called once per test method and may return a shared instance.
 */
public abstract class BackendConformanceKit {

    private Backend backend;

    /** The backend under test. */
    protected abstract Backend backend();

    private Backend underTest() {
        if (backend == null) {
            backend = Objects.requireNonNull(backend(), "backend() returned null");
        }
        return backend;
    }

    @Nested
    @Tag("copy")
    @DisplayName("copy and fill")
    class CopyAndFill extends CopyChecks {
        @Override
        Backend backend() {
            return underTest();
        }
    }

    @Nested
    @Tag("random")
    @DisplayName("random and Philox")
    class Random extends RandomChecks {
        @Override
        Backend backend() {
            return underTest();
        }
    }

    @Nested
    @Tag("unary")
    @DisplayName("unary ops")
    class Unary extends UnaryChecks {
        @Override
        Backend backend() {
            return underTest();
        }
    }

    @Nested
    @Tag("binary")
    @DisplayName("binary ops")
    class Binary extends BinaryChecks {
        @Override
        Backend backend() {
            return underTest();
        }
    }

    @Nested
    @Tag("ternary")
    @DisplayName("ternary ops")
    class Ternary extends TernaryChecks {
        @Override
        Backend backend() {
            return underTest();
        }
    }

    @Nested
    @Tag("reduce")
    @DisplayName("reductions")
    class Reduce extends ReduceChecks {
        @Override
        Backend backend() {
            return underTest();
        }
    }

    @Nested
    @Tag("matmul")
    @DisplayName("matmul")
    class Matmul extends MatmulChecks {
        @Override
        Backend backend() {
            return underTest();
        }
    }

    @Nested
    @Tag("gather-scatter")
    @DisplayName("gather and scatter")
    class GatherScatter extends GatherScatterChecks {
        @Override
        Backend backend() {
            return underTest();
        }
    }
}
