package ignis.nn;

import ignis.nn.internal.Owners;
import ignis.nn.internal.Repr;
import ignis.nn.internal.Untracked;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.GradMode;
import ignis.tensor.Placement;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The base of every layer and model, as {@code torch.nn.Module}: it holds parameters, buffers and
 * submodules registered by name, in registration order, and knows their dotted names
 * ({@code features.0.weight}), its training mode, its device, and its state dict.
 *
 * <p>Parameters and buffers are tensor handles that belong to the module: no {@link
 * ignis.tensor.TensorScope} closes them, so a model outlives the scopes of its training steps. A
 * parameter is a leaf that requires grad, whose gradient accumulates in its own {@link Tensor#grad()}.
 * {@link #close()} releases them all, and the submodules'. Handles returned by {@link #parameters()}
 * and the like are the module's own: do not close them. Handles returned by {@link #stateDict()} are
 * new ones (sharing memory) that the caller closes, or its scope does.
 *
 * <p>{@link #to(Device)} moves the tensors in place, as {@link #place} does for FOLLOW_BEST; both are
 * changes of devices, refused inside an op or a {@link ignis.tensor.DeviceGate#hold()}. {@link #to(DType)}
 * replaces parameter and buffer handles, so layers look their tensors up by name ({@link #getParameter})
 * rather than keeping them in fields. Not thread-safe: build and train a module on one thread at a
 * time; many threads may run {@code forward} in eval mode under {@link GradMode#noGrad()}.
 */
public abstract class Module implements AutoCloseable {

    /** The service property that names a module published as an OSGi service, for the runtime's {@code ignis:move}. */
    public static final String NAME_PROPERTY = "ignis.module.name";

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistent = new HashSet<>();
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private boolean training = true;
    private boolean closed;

    protected Module() {
    }

    // ---- the computation ----------------------------------------------------------------------

    /**
     * The module's computation on one input. As in PyTorch, a module that does not define it (a
     * container such as {@link ModuleList}, or a loss, which takes two inputs) fails when it is called.
     */
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(name() + " does not define forward(Tensor)");
    }

    /** The class name PyTorch prints: {@code Linear}, {@code Sequential}. */
    protected String name() {
        return getClass().getSimpleName();
    }

    // ---- registration -------------------------------------------------------------------------

    /**
     * Registers a parameter: a new handle to {@code value}'s memory (no copy, as {@code nn.Parameter(t)})
     * that is a leaf requiring grad. A {@code null} value registers an absent parameter, as PyTorch's
     * {@code register_parameter(name, None)} ({@code bias=False}): it has a name but no tensor. A value
     * that is already a module's parameter is shared, not copied, so that tied weights have one gradient.
     * Registering a name again replaces the parameter.
     *
     * @return the parameter handle (the module's own; do not close it)
     */
    public Tensor registerParameter(String name, Tensor value) {
        checkName("parameter", name, parameters);
        Tensor parameter = null;
        if (value != null) {
            if (!value.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(name() + ": parameter '" + name + "' must be a floating-point tensor, got "
                        + value.dtype() + " " + value.shape());
            }
            if (Owners.isParameter(value)) {
                parameter = value;
            } else {
                parameter = Untracked.detached(value);
                parameter.requiresGrad_(true);
            }
            Owners.acquire(parameter);
        }
        Tensor old = parameters.put(name, parameter);
        if (old != null) {
            Owners.release(old);
        }
        return parameter;
    }

    /**
     * Registers a new parameter of the given shape, with undefined values for the layer to initialise:
     * the way layers make their weights without leaving a handle to any scope.
     */
    protected Tensor registerParameter(String name, Shape shape, DType dtype, Device device) {
        try (Tensor fresh = Tensors.empty(shape, dtype, device)) {
            return registerParameter(name, fresh);
        }
    }

    /** Registers {@code fresh} as a buffer and closes the caller's handle to it: for buffers a layer makes itself. */
    protected Tensor adoptBuffer(String name, Tensor fresh) {
        try (fresh) {
            return registerBuffer(name, fresh);
        }
    }

    /** Registers a persistent buffer: state that is not trained but saved in the state dict (running statistics). */
    public Tensor registerBuffer(String name, Tensor value) {
        return registerBuffer(name, value, true);
    }

    /**
     * Registers a buffer: a new handle to {@code value}'s memory that does not require grad; {@code null}
     * registers an absent one. A non-persistent buffer is left out of the state dict.
     *
     * @return the buffer handle (the module's own; do not close it)
     */
    public Tensor registerBuffer(String name, Tensor value, boolean persistent) {
        checkName("buffer", name, buffers);
        Tensor buffer = value == null ? null : Untracked.detached(value);
        Tensor old = buffers.put(name, buffer);
        if (old != null) {
            old.close();
        }
        if (persistent) {
            nonPersistent.remove(name);
        } else {
            nonPersistent.add(name);
        }
        return buffer;
    }

    /** Registers a submodule ({@code null} registers an absent one); the module now closes it. Returns it. */
    public <M extends Module> M registerModule(String name, M module) {
        checkName("module", name, modules);
        if (module == this) {
            throw new IllegalArgumentException(name() + ": a module cannot be its own submodule ('" + name + "')");
        }
        modules.put(name, module);
        return module;
    }

    private void checkName(String kind, String name, Map<String, ?> own) {
        Objects.requireNonNull(name, kind + " name");
        if (closed) {
            throw new IllegalStateException(name() + " was closed; cannot register " + kind + " '" + name + "'");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException(name() + ": " + kind + " name can't be empty");
        }
        if (name.contains(".")) {
            throw new IllegalArgumentException(name() + ": " + kind + " name can't contain \".\", got '" + name + "'");
        }
        for (var other : List.of(Map.entry("parameter", parameters), Map.entry("buffer", buffers), Map.entry("module", modules))) {
            if (other.getValue() != own && other.getValue().containsKey(name)) {
                throw new IllegalArgumentException(name() + ": cannot register " + kind + " '" + name + "': it is already a "
                        + other.getKey());
            }
        }
    }

    // ---- looking things up --------------------------------------------------------------------

    /**
     * The parameter at a dotted path ({@code weight}, {@code features.0.weight}), as PyTorch's
     * {@code get_parameter}; null when it is registered as absent.
     *
     * @throws IllegalArgumentException when there is no such parameter
     */
    public Tensor getParameter(String target) {
        int dot = target.lastIndexOf('.');
        Module owner = dot < 0 ? this : getSubmodule(target.substring(0, dot));
        String name = target.substring(dot + 1);
        if (!owner.parameters.containsKey(name)) {
            throw new IllegalArgumentException(name() + " has no parameter '" + target + "'; it has " + namedParameters().keySet());
        }
        return owner.parameters.get(name);
    }

    /** The buffer at a dotted path, as PyTorch's {@code get_buffer}; null when it is registered as absent. */
    public Tensor getBuffer(String target) {
        int dot = target.lastIndexOf('.');
        Module owner = dot < 0 ? this : getSubmodule(target.substring(0, dot));
        String name = target.substring(dot + 1);
        if (!owner.buffers.containsKey(name)) {
            throw new IllegalArgumentException(name() + " has no buffer '" + target + "'; it has " + namedBuffers().keySet());
        }
        return owner.buffers.get(name);
    }

    /** The submodule at a dotted path ({@code features.0}); the empty path is this module. */
    public Module getSubmodule(String target) {
        if (target.isEmpty()) {
            return this;
        }
        Module current = this;
        for (String part : target.split("\\.", -1)) {
            if (!current.modules.containsKey(part) || current.modules.get(part) == null) {
                throw new IllegalArgumentException(name() + " has no submodule '" + target + "': " + current.name()
                        + " has no child '" + part + "' (children: " + current.modules.keySet() + ")");
            }
            current = current.modules.get(part);
        }
        return current;
    }

    /** The submodules registered on this module itself, by name, as registered (a repeated or absent one included). */
    protected Map<String, Module> registeredModules() {
        return Collections.unmodifiableMap(modules);
    }

    // ---- walking the tree ---------------------------------------------------------------------

    /** The parameters of this module and its submodules, each once (tied ones included once), in order. */
    public List<Tensor> parameters() {
        return List.copyOf(namedParameters().values());
    }

    /** The parameters of this module alone ({@code recurse} false), or of the whole tree. */
    public List<Tensor> parameters(boolean recurse) {
        if (recurse) {
            return parameters();
        }
        return parameters.values().stream().filter(Objects::nonNull).toList();
    }

    /** The parameters by dotted name, each once (the first name of a shared one), in PyTorch's order. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        namedModules().forEach((prefix, module) -> module.parameters.forEach((name, p) -> {
            if (p != null && seen.add(p)) {
                out.put(join(prefix, name), p);
            }
        }));
        return Collections.unmodifiableMap(out);
    }

    /** The buffers of this module and its submodules (non-persistent ones included), in order. */
    public List<Tensor> buffers() {
        return List.copyOf(namedBuffers().values());
    }

    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        namedModules().forEach((prefix, module) -> module.buffers.forEach((name, b) -> {
            if (b != null && seen.add(b)) {
                out.put(join(prefix, name), b);
            }
        }));
        return Collections.unmodifiableMap(out);
    }

    /** The direct submodules, each once, in registration order. */
    public List<Module> children() {
        return List.copyOf(namedChildren().values());
    }

    public Map<String, Module> namedChildren() {
        Map<String, Module> out = new LinkedHashMap<>();
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        modules.forEach((name, m) -> {
            if (m != null && seen.add(m)) {
                out.put(name, m);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** This module (named "") and every submodule below it, each once, depth first, by dotted name. */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", this, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return Collections.unmodifiableMap(out);
    }

    /** This module and every submodule below it, each once. */
    public List<Module> modules() {
        return List.copyOf(namedModules().values());
    }

    private static void collectModules(String prefix, Module module, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(module)) {
            return;
        }
        out.put(prefix, module);
        module.modules.forEach((name, child) -> {
            if (child != null) {
                collectModules(join(prefix, name), child, out, seen);
            }
        });
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** Calls {@code fn} on every submodule (children first, recursively) and then on this one, as PyTorch's {@code apply}. */
    public Module apply(Consumer<Module> fn) {
        for (Module child : children()) {
            child.apply(fn);
        }
        fn.accept(this);
        return this;
    }

    // ---- modes --------------------------------------------------------------------------------

    /** Sets training mode on this module and every submodule. */
    public Module train(boolean mode) {
        for (Module m : modules()) {
            m.training = mode;
        }
        return this;
    }

    public Module train() {
        return train(true);
    }

    /** Sets evaluation mode (Dropout off, BatchNorm on its running statistics) on this module and every submodule. */
    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /** Sets whether every parameter requires grad (freezing or unfreezing), as PyTorch's {@code requires_grad_}. */
    public Module requiresGrad_(boolean requiresGrad) {
        for (Tensor p : parameters()) {
            p.requiresGrad_(requiresGrad);
        }
        return this;
    }

    /** Clears the gradients of every parameter (PyTorch's default {@code set_to_none=True}). */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /** Clears the gradients: drops them ({@code setToNone}) or fills them with zeros. */
    public void zeroGrad(boolean setToNone) {
        for (Tensor p : parameters()) {
            Tensor grad = p.grad();
            if (grad == null) {
                continue;
            }
            if (setToNone) {
                p.setGrad(null);
                grad.close();
            } else {
                try (GradMode.Scope off = GradMode.noGrad()) {
                    grad.zero_();
                }
            }
        }
    }

    // ---- devices and dtypes -------------------------------------------------------------------

    /**
     * Moves every parameter, gradient and buffer to {@code device}, in place and in one change of
     * devices: the tensors stay the same objects (an optimizer built on them, or a forward pass running
     * in another thread inside a {@link ignis.tensor.DeviceGate#hold()}, keeps working), all move or none.
     */
    public Module to(Device device) {
        Objects.requireNonNull(device, "device");
        requireOpen();
        Tensors.moveTo(device, ownTensors());
        return this;
    }

    /**
     * Sets what happens to every parameter, gradient and buffer when devices change, in one change:
     * with {@link Placement#FOLLOW_BEST} they move to {@link Device#best()} now and follow it from then
     * on (a module is then best called inside a {@link ignis.tensor.DeviceGate#hold()}, so that a
     * forward pass sees one device). The tensors stay the same objects.
     */
    public Module place(Placement policy) {
        requireOpen();
        Tensors.place(policy, ownTensors());
        return this;
    }

    /** Every parameter, gradient and buffer of this module and its submodules. */
    private List<Tensor> ownTensors() {
        List<Tensor> tensors = new ArrayList<>();
        for (Module module : modules()) {
            for (Tensor p : module.parameters.values()) {
                if (p != null) {
                    tensors.add(p);
                    if (p.grad() != null) {
                        tensors.add(p.grad());
                    }
                }
            }
            module.buffers.values().stream().filter(Objects::nonNull).forEach(tensors::add);
        }
        return tensors;
    }

    /** Converts every floating-point parameter, gradient and buffer to {@code dtype}, as PyTorch's {@code module.to(dtype)}. */
    public Module to(DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(name() + ".to(dtype): only floating-point dtypes are allowed, got " + dtype);
        }
        return convert(t -> t.dtype().isFloatingPoint() && t.dtype() != dtype, t -> t.to(dtype));
    }

    private Module convert(Predicate<Tensor> needed, UnaryOperator<Tensor> fn) {
        requireOpen();
        Map<Tensor, Tensor> moved = new IdentityHashMap<>();
        for (Module module : modules()) {
            for (Map.Entry<String, Tensor> e : module.parameters.entrySet()) {
                Tensor p = e.getValue();
                if (p == null || !needed.test(p)) {
                    continue;
                }
                Tensor q = moved.computeIfAbsent(p, old -> {
                    Tensor fresh = Untracked.make(() -> fn.apply(old));
                    fresh.requiresGrad_(old.requiresGrad());
                    if (old.grad() != null) {
                        fresh.setGrad(Untracked.make(() -> fn.apply(old.grad())));
                    }
                    return fresh;
                });
                Owners.acquire(q);
                e.setValue(q);
                Owners.release(p);
            }
            for (Map.Entry<String, Tensor> e : module.buffers.entrySet()) {
                Tensor b = e.getValue();
                if (b == null || !needed.test(b)) {
                    continue;
                }
                e.setValue(Untracked.make(() -> fn.apply(b)));
                b.close();
            }
        }
        return this;
    }

    // ---- state dicts --------------------------------------------------------------------------

    /**
     * The parameters and persistent buffers by dotted name, in PyTorch's order (a module's parameters,
     * then its buffers, then its submodules'; a submodule registered under two names appears under
     * both, as in PyTorch). The values are new handles to the module's memory, detached from
     * autograd; the caller closes them (or its scope does).
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        ownState(new HashSet<>()).forEach((key, t) -> out.put(key, t.detach()));
        return out;
    }

    /** The module's own handles, by state dict key; the keys of {@link #zeroWhenMissing} buffers go into {@code zeroable}. */
    private Map<String, Tensor> ownState(Set<String> zeroable) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out, zeroable, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    /**
     * A submodule registered under several names is saved under each of them, as PyTorch's
     * {@code state_dict} does (so that its checkpoints load); only a cycle, a module inside itself,
     * is cut, where PyTorch would recurse forever.
     */
    private void collectState(String prefix, Map<String, Tensor> out, Set<String> zeroable, Set<Module> path) {
        if (!path.add(this)) {
            return;
        }
        parameters.forEach((name, p) -> {
            if (p != null) {
                out.put(join(prefix, name), p);
            }
        });
        buffers.forEach((name, b) -> {
            if (b != null && !nonPersistent.contains(name)) {
                out.put(join(prefix, name), b);
                if (zeroWhenMissing().contains(name)) {
                    zeroable.add(join(prefix, name));
                }
            }
        });
        modules.forEach((name, m) -> {
            if (m != null) {
                m.collectState(join(prefix, name), out, zeroable, path);
            }
        });
        path.remove(this);
    }

    /**
     * Copies values into the parameters and buffers in place (under no-grad), converting dtype and
     * device, as PyTorch's {@code load_state_dict}. Shape mismatches always fail; with {@code strict},
     * missing and unexpected keys fail too. Nothing is copied when it fails. A buffer that its module
     * {@linkplain #zeroWhenMissing zeroes when missing} is set to 0 instead of being missing.
     *
     * @return the keys the module has that {@code state} lacks, and the keys it has that the module lacks
     * @throws IllegalArgumentException naming every mismatched key (and shapes)
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> state, boolean strict) {
        requireOpen();
        Set<String> zeroable = new HashSet<>();
        Map<String, Tensor> own = ownState(zeroable);
        List<String> missing = own.keySet().stream().filter(k -> !state.containsKey(k) && !zeroable.contains(k)).toList();
        List<String> unexpected = state.keySet().stream().filter(k -> !own.containsKey(k)).toList();
        List<String> errors = new ArrayList<>();
        if (strict && !unexpected.isEmpty()) {
            errors.add("Unexpected key(s) in state_dict: " + quoted(unexpected) + ".");
        }
        if (strict && !missing.isEmpty()) {
            errors.add("Missing key(s) in state_dict: " + quoted(missing) + ".");
        }
        own.forEach((key, target) -> {
            Tensor source = state.get(key);
            if (source == null) {
                if (state.containsKey(key)) {
                    errors.add("null value for " + key + " in state_dict; leave the key out instead.");
                }
                return;
            }
            if (!source.shape().equals(target.shape())) {
                errors.add("size mismatch for " + key + ": copying a param with shape " + source.shape()
                        + " from checkpoint, the shape in current model is " + target.shape() + ".");
            }
        });
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + name() + ":\n\t" + String.join("\n\t", errors));
        }
        try (GradMode.Scope off = GradMode.noGrad()) {
            own.forEach((key, target) -> {
                Tensor source = state.get(key);
                if (source != null) {
                    target.copy_(source);
                } else if (zeroable.contains(key)) {
                    target.zero_();
                }
            });
        }
        return new IncompatibleKeys(missing, unexpected);
    }

    /**
     * Names of this module's buffers that {@link #loadStateDict} sets to 0 when a state dict lacks them, where
     * checkpoints from before the buffer existed are common (PyTorch's BatchNorm does so for
     * {@code num_batches_tracked}). None by default.
     */
    protected Set<String> zeroWhenMissing() {
        return Set.of();
    }

    private static String quoted(List<String> keys) {
        return String.join(", ", keys.stream().map(k -> "\"" + k + "\"").toList());
    }

    // ---- printing -----------------------------------------------------------------------------

    /** The module's settings, printed inside its parentheses ({@code in_features=2, out_features=8, bias=True}). */
    protected String extraRepr() {
        return "";
    }

    /** As PyTorch prints modules: the class name, the settings, and each child indented under {@code (name): }. */
    @Override
    public String toString() {
        List<String> extra = extraRepr().isEmpty() ? List.of() : List.of(extraRepr().split("\n"));
        List<String> children = new ArrayList<>();
        modules.forEach((key, m) -> children.add("(" + key + "): " + Repr.indent(m == null ? "None" : m.toString(), 2)));
        List<String> lines = new ArrayList<>(extra);
        lines.addAll(children);
        StringBuilder out = new StringBuilder(name()).append('(');
        if (extra.size() == 1 && children.isEmpty()) {
            out.append(extra.getFirst());
        } else if (!lines.isEmpty()) {
            out.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        return out.append(')').toString();
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /**
     * Releases the parameters (with their gradients), the buffers and every submodule. A parameter
     * shared with another module stays open until that one is closed too. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Tensor p : parameters.values()) {
            if (p != null) {
                Owners.release(p);
            }
        }
        for (Tensor b : buffers.values()) {
            if (b != null) {
                b.close();
            }
        }
        for (Module m : modules.values()) {
            if (m != null) {
                m.close();
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(name() + " was closed");
        }
    }

    /** The result of {@link #loadStateDict}: PyTorch's {@code _IncompatibleKeys}. */
    public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {

        public IncompatibleKeys {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }
    }
}
