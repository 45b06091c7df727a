package ignis.autograd.internal;

import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.GradFn;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.spi.OpCall;
import java.util.ArrayList;
import java.util.List;

/**
 * One recorded op: the derivative to run, where each input's gradient goes (the node that produced
 * it, or the leaf tensor that accumulates it), and the tensors the derivative reads, held by handles
 * of the graph's own and checked against in-place changes through their version counters.
 */
final class Node implements GradFn {

    private final Derivative.Entry entry;
    private final List<Object> args;
    final Node[] next;
    final Tensor[] leaves;
    private final boolean[] needsGrad;
    private final Shape[] shapes;
    private final DType[] dtypes;
    private final Device[] devices;
    /** The tensor this node produced, for its hooks; a plain reference, not a handle. */
    final Tensor output;

    private List<Tensor> savedInputs;
    private long[] savedInputVersions;
    private Tensor savedOutput;
    private long savedOutputVersion;
    private boolean freed;

    Node(Derivative.Entry entry, OpCall call) {
        this.entry = entry;
        // Tensors among the arguments (indices, masks) get handles of the node's own, like saved tensors.
        List<Object> owned = new ArrayList<>(call.args().size());
        for (Object arg : call.args()) {
            owned.add(arg instanceof Tensor t ? t.retain() : arg);
        }
        this.args = owned;
        this.output = call.output();
        int n = call.inputs().size();
        next = new Node[n];
        leaves = new Tensor[n];
        needsGrad = new boolean[n];
        shapes = new Shape[n];
        dtypes = new DType[n];
        devices = new Device[n];
        for (int i = 0; i < n; i++) {
            Tensor input = call.inputs().get(i);
            shapes[i] = input.shape();
            dtypes[i] = input.dtype();
            devices[i] = input.device();
            needsGrad[i] = input.requiresGrad();
            if (input.gradFn() instanceof Node producer) {
                next[i] = producer;
            } else if (input.requiresGrad()) {
                leaves[i] = input.gradLeaf();
            }
        }
        if (entry.savesInputs()) {
            savedInputs = new ArrayList<>(n);
            savedInputVersions = new long[n];
            for (int i = 0; i < n; i++) {
                savedInputs.add(call.inputs().get(i).retain());
                savedInputVersions[i] = call.inputs().get(i).version();
            }
        }
        if (entry.savesOutput()) {
            savedOutput = call.output().retain();
            savedOutputVersion = call.output().version();
        }
    }

    @Override
    public String name() {
        return entry.name();
    }

    boolean needsGrad(int i) {
        return needsGrad[i];
    }

    DType inputDtype(int i) {
        return dtypes[i];
    }

    int inputCount() {
        return needsGrad.length;
    }

    /** Runs the derivative: fails when the graph was freed or a saved tensor was changed in place. */
    Tensor[] backward(Tensor grad) {
        if (freed) {
            throw new IllegalStateException("trying to backward through the graph a second time (" + name()
                    + "): its saved tensors were freed after the first backward; call backward(gradient, true, false) "
                    + "(retainGraph) the first time if you need a second pass");
        }
        if (savedInputs != null) {
            for (int i = 0; i < savedInputs.size(); i++) {
                checkVersion(savedInputs.get(i), savedInputVersions[i], "input " + i);
            }
        }
        if (savedOutput != null) {
            checkVersion(savedOutput, savedOutputVersion, "output");
        }
        return entry.derivative().apply(new Derivative.Saved(savedInputs, savedOutput, args, shapes, dtypes, devices, needsGrad), grad);
    }

    private void checkVersion(Tensor saved, long expected, String which) {
        if (saved.version() != expected) {
            throw new IllegalStateException("one of the tensors needed for gradient computation has been modified by an in-place "
                    + "operation: the " + which + " of " + name() + " (" + saved.dtype() + " " + saved.shape() + ") is at version "
                    + saved.version() + "; expected version " + expected + " instead");
        }
    }

    /** Releases the saved tensors; the node cannot run backward afterwards. */
    void free() {
        if (freed) {
            return;
        }
        freed = true;
        if (savedInputs != null) {
            savedInputs.forEach(Tensor::close);
            savedInputs = null;
        }
        if (savedOutput != null) {
            savedOutput.close();
            savedOutput = null;
        }
        for (Object arg : args) {
            if (arg instanceof AutoCloseable resource) {
                try {
                    resource.close();
                } catch (Exception e) {
                    throw new IllegalStateException("releasing a saved argument of " + name() + " failed", e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "<" + name() + ">";
    }
}
