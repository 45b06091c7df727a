package ignis.tck.api;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.BackendRegistry;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import ignis.tensor.spi.Backend;
import java.util.Objects;
import net.jqwik.api.Group;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The API-level conformance kit: tests of the public tensor API ({@code Tensor}, {@code Tensors},
 * {@code NeuralOps}...) that check the semantics PyTorch users expect, run with the kernels of the
 * backend under test. A backend's test suite extends this class and returns its backend:
 *
 * <pre>{@code
 * class MyBackendApiTest extends TensorApiKit {
 *     protected Backend backend() { return new MyBackend(); }
 * }
 * }</pre>
 *
 * The kit registers the backend (wrapped, with the highest ranking, so that the registry picks it for
 * its device) for as long as its tests run, and makes every tensor on the backend's device. Expected
 * values come from independent references: hand-worked cases, recomputation in double with plain
 * loops, and results of PyTorch (1.13 and later) named in the tests. Tolerances are those of
 * {@code torch.testing.assert_close} unless a test states others.
 *
 * <p>Each area is a nested class (a JUnit {@code @Nested} class for the example tests and a jqwik
 * {@code @Group} for the property tests) whose cases live in a file of their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TensorApiKit {

    /** The backend under test. Called once per run of the kit. */
    protected abstract Backend backend();

    private Backend underTest;

    final synchronized Backend backendUnderTest() {
        if (underTest == null) {
            underTest = Objects.requireNonNull(backend(), "backend() returned null");
        }
        return underTest;
    }

    @BeforeAll
    void registerBackendUnderTest() {
        KitRegistration.acquire(backendUnderTest());
    }

    @AfterAll
    void releaseBackendUnderTest() {
        KitRegistration.release();
    }

    @Test
    void theBackendUnderTestRunsTheKernels() {
        KitBackend registered = KitRegistration.active();
        assertSame(registered, BackendRegistry.backendFor(backendUnderTest().device()),
                "the registry must pick the backend under test for its device");
        long before = registered.kernelCalls();
        try (var scope = Tensors.scope()) {
            Tensor a = Tensors.ones(ignis.tensor.Shape.of(3), ignis.tensor.DType.FLOAT32, backendUnderTest().device());
            a.add(a).sum();
        }
        assertTrue(registered.kernelCalls() >= before + 3, "fill, add and sum should have run on the backend under test");
    }

    @Nested
    @Group
    class Creation extends CreationCases {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @Group
    class Views extends ViewCases {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @Group
    class Broadcasting extends BroadcastingCases {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @Group
    class Promotion extends PromotionCases {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @Group
    class ElementwiseMath extends ElementwiseCases {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @Group
    class ReductionOps extends ReductionCases {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @Group
    class MatrixProducts extends MatmulCases {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @Group
    class Indexing extends IndexingCases {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @Group
    class InPlace extends InPlaceCases {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @Group
    class Printing extends PrintingCases {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @Group
    class Memory extends MemoryCases {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @Group
    class NeuralNetworks extends NeuralOpsCases {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @Group
    class OptimizerSteps extends OptimizerStepCases {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }
}
