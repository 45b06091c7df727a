package ignis.autograd.internal;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceProvider;
import ignis.tensor.DType;
import ignis.tensor.GradFn;
import ignis.tensor.GradMode;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import ignis.tensor.spi.AutogradEngine;
import ignis.tensor.spi.OpCall;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.osgi.service.component.annotations.Component;

/**
 * The autograd engine: records a node per op and runs backward passes, in the manner of micrograd's
 * engine: a topological order of the nodes reachable from the root, then one derivative per node
 * from the root down, gradients summed where paths meet and accumulated into the leaves.
 */
@Component(service = AutogradEngine.class)
@ServiceProvider(value = AutogradEngine.class, resolution = Resolution.OPTIONAL)
public final class Engine implements AutogradEngine {

    @Override
    public GradFn record(OpCall call) {
        return new Node(Derivatives.entryFor(call), call);
    }

    @Override
    public void backward(Tensor root, Tensor gradient, boolean retainGraph, boolean createGraph) {
        run(List.of(root), Collections.singletonList(gradient), retainGraph, createGraph, Set.of());
    }

    /**
     * The backward pass. The gradients reaching the {@code capture} targets (leaf tensors, or the nodes
     * of non-leaf tensors) are returned to the caller instead of being accumulated into {@code grad()}.
     */
    public Map<Object, Tensor> run(List<Tensor> roots, List<Tensor> gradients, boolean retainGraph, boolean createGraph,
                                   Set<Object> capture) {
        Map<Object, Tensor> captured = new IdentityHashMap<>();
        Map<Node, Tensor> pending = new IdentityHashMap<>();
        try (GradMode.Scope mode = createGraph ? GradMode.enableGrad() : GradMode.noGrad()) {
            List<Node> starts = new ArrayList<>();
            for (int r = 0; r < roots.size(); r++) {
                Tensor root = roots.get(r);
                Tensor grad = initialGradient(root, gradients.get(r));
                if (root.gradFn() instanceof Node node) {
                    add(pending, node, grad);
                    starts.add(node);
                } else {
                    deliver(root, grad, createGraph, capture, captured);
                }
            }
            for (Node node : topologicalOrder(starts)) {
                Tensor arrived = pending.remove(node);
                if (arrived == null) {
                    continue;
                }
                Tensor[] inputGrads;
                try (Tensor grad = applyHooks(node.output.hooks(), arrived)) {
                    if (capture.contains(node)) {
                        merge(captured, node, grad.retain());
                    }
                    inputGrads = node.backward(grad);
                }
                for (int i = 0; i < inputGrads.length; i++) {
                    Tensor g = inputGrads[i];
                    if (g == null) {
                        continue;
                    }
                    if (!node.needsGrad(i)) {
                        g.close();
                        continue;
                    }
                    g = inInputDtype(node, i, g);
                    if (node.next[i] != null) {
                        add(pending, node.next[i], g);
                    } else if (node.leaves[i] != null) {
                        deliver(node.leaves[i], g, createGraph, capture, captured);
                    } else {
                        g.close();
                    }
                }
                if (!retainGraph) {
                    node.free();
                }
            }
        } finally {
            pending.values().forEach(Tensor::close);
        }
        return captured;
    }

    /**
     * As PyTorch's engine: a gradient reaches an input in the input's dtype (the derivative of an op that
     * promoted a float16 operand to float32 computes in float32).
     */
    private static Tensor inInputDtype(Node node, int i, Tensor g) {
        DType dtype = node.inputDtype(i);
        if (g.dtype() == dtype) {
            return g;
        }
        try (g) {
            return g.to(dtype);
        }
    }

    private static Tensor initialGradient(Tensor root, Tensor gradient) {
        if (gradient == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException("backward(): the gradient can be created implicitly only for a scalar output, "
                        + "not for shape " + root.shape() + "; pass one of that shape");
            }
            return Tensors.onesLike(root);
        }
        if (!gradient.shape().equals(root.shape())) {
            throw new IllegalArgumentException("backward(): the gradient has shape " + gradient.shape()
                    + ", but the output has shape " + root.shape());
        }
        return gradient.retain();
    }

    /** A gradient arriving at a leaf: through its hooks, then into grad() (or to the caller, when captured). */
    private static void deliver(Tensor leaf, Tensor grad, boolean createGraph, Set<Object> capture, Map<Object, Tensor> captured) {
        Tensor g = applyHooks(leaf.hooks(), grad);
        if (capture.contains(leaf)) {
            merge(captured, leaf, g);
            return;
        }
        if (capture.isEmpty()) {
            accumulate(leaf, g, createGraph);
        } else {
            g.close();
        }
    }

    /** PyTorch's AccumulateGrad: the first gradient is kept, later ones are added (in place unless the graph is recorded). */
    private static void accumulate(Tensor leaf, Tensor g, boolean createGraph) {
        Tensor old = leaf.grad();
        if (old == null) {
            // As PyTorch's layout contract: the grad of a dense leaf is dense (a weight's gradient arrives
            // as a transposed view), so that optimizers run on dense memory.
            try (g; Tensor dense = leaf.isContiguous() && !g.isContiguous() ? g.contiguous() : null) {
                leaf.setGrad((dense != null ? dense : g).retain());
            }
        } else if (!createGraph) {
            try (g) {
                old.add_(g);
            }
        } else {
            try (g; old; Tensor sum = old.add(g)) {
                leaf.setGrad(sum.retain());
            }
        }
    }

    private static Tensor applyHooks(List<UnaryOperator<Tensor>> hooks, Tensor grad) {
        Tensor g = grad;
        for (UnaryOperator<Tensor> hook : hooks) {
            Tensor replaced = hook.apply(g);
            if (replaced != null && replaced != g) {
                g.close();
                g = replaced;
            }
        }
        return g;
    }

    private static void add(Map<Node, Tensor> pending, Node node, Tensor grad) {
        Tensor existing = pending.get(node);
        if (existing == null) {
            pending.put(node, grad);
            return;
        }
        try (existing; grad) {
            pending.put(node, existing.add(grad));
        }
    }

    private static void merge(Map<Object, Tensor> captured, Object key, Tensor grad) {
        Tensor existing = captured.get(key);
        if (existing == null) {
            captured.put(key, grad);
            return;
        }
        try (existing; grad; Tensor sum = existing.add(grad)) {
            captured.put(key, sum.retain());
        }
    }

    /** The nodes reachable from the starts, each after every node that feeds it a gradient. Iterative: graphs can be deep. */
    private static List<Node> topologicalOrder(List<Node> starts) {
        List<Node> postOrder = new ArrayList<>();
        Set<Node> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object[]> stack = new ArrayDeque<>();
        for (Node start : starts) {
            if (visited.add(start)) {
                stack.push(new Object[] {start, 0});
            }
            while (!stack.isEmpty()) {
                Object[] frame = stack.peek();
                Node node = (Node) frame[0];
                int i = (Integer) frame[1];
                if (i < node.inputCount()) {
                    frame[1] = i + 1;
                    Node child = node.next[i];
                    if (child != null && visited.add(child)) {
                        stack.push(new Object[] {child, 0});
                    }
                } else {
                    stack.pop();
                    postOrder.add(node);
                }
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
