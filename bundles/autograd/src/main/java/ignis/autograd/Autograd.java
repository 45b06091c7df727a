package ignis.autograd;

import ignis.autograd.internal.Engine;
import ignis.tensor.AutogradRegistry;
import ignis.tensor.Tensor;
import ignis.tensor.spi.AutogradEngine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The functional interface to autograd, as {@code torch.autograd.grad}. */
public final class Autograd {

    private Autograd() {
    }

    /** The gradients of a scalar output with respect to inputs; the graph is freed. */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs) {
        return grad(List.of(output), inputs, null, false, false, false);
    }

    /**
     * The gradients of {@code outputs} (weighted by {@code gradOutputs}, ones for scalars when null)
     * with respect to {@code inputs}, returned rather than accumulated into {@code grad()}.
     *
     * @param createGraph records the backward pass, so that the gradients can be differentiated again
     * @param allowUnused gives null for an input the outputs do not depend on, instead of failing
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                    boolean retainGraph, boolean createGraph, boolean allowUnused) {
        Engine engine = engine();
        Set<Object> keys = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> order = new ArrayList<>();
        for (Tensor input : inputs) {
            if (!input.requiresGrad()) {
                throw new IllegalArgumentException("grad(): input " + order.size() + " (shape " + input.shape()
                        + ") does not require grad");
            }
            Object key = input.gradFn() != null ? input.gradFn() : input.gradLeaf();
            keys.add(key);
            order.add(key);
        }
        List<Tensor> gradients = gradOutputs != null ? gradOutputs : Collections.nCopies(outputs.size(), null);
        Map<Object, Tensor> captured = engine.run(outputs, gradients, retainGraph || createGraph, createGraph, keys);
        List<Tensor> result = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            Tensor g = captured.get(order.get(i));
            if (g == null && !allowUnused) {
                captured.values().forEach(Tensor::close);
                throw new IllegalArgumentException("grad(): input " + i + " was not used to compute the outputs; pass allowUnused=true to get null for it");
            }
            result.add(g);
        }
        return result;
    }

    static Engine engine() {
        AutogradEngine engine = AutogradRegistry.engine();
        if (engine instanceof Engine ours) {
            return ours;
        }
        throw new IllegalStateException(engine == null ? "no autograd engine is installed"
                : "the installed autograd engine is " + engine.getClass().getName() + ", not Ignis's");
    }
}
