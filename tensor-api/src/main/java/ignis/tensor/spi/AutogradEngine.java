package ignis.tensor.spi;

import ignis.tensor.GradFn;
import ignis.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reverse-mode automatic differentiation, provided by the autograd bundle as a service: the core
 * reports each differentiable op whose inputs require gradients and asks for backward passes; it
 * knows nothing else of the graph. Without an engine, tensors compute as usual and
 * {@link Tensor#backward()} says that none is installed.
 */
@ConsumerType
public interface AutogradEngine {

    /** Records an op in the graph and returns the node that produced its output. */
    GradFn record(OpCall call);

    /**
     * Propagates {@code gradient} (ones for a scalar root when null) from {@code root} to the leaves,
     * accumulating into their {@link Tensor#grad()}.
     */
    void backward(Tensor root, Tensor gradient, boolean retainGraph, boolean createGraph);
}
