package ignis.optim;

import ignis.tensor.GradMode;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The base of the optimizers, as PyTorch's {@code torch.optim.Optimizer}: param groups with their own
 * options, per-parameter state, {@link #step()}, {@link #zeroGrad(boolean)} and state dicts.
 *
 * <p>A parameter is a floating-point leaf tensor that requires grad; its gradient is read from
 * {@code param.gradLeaf().grad()} (where backward accumulates it), so a {@linkplain Tensor#retain()
 * retained} handle of a leaf works as the leaf itself. Updates run without recording, in place on the parameters.
 *
 * <p>The optimizer owns its state tensors (momentum buffers, moment estimates): they live across
 * steps and scopes until {@link #close()}, or until {@link #loadStateDict} replaces them. It does not
 * own the parameters or their gradients. Not thread-safe: step one optimizer from one thread at a time.
 */
@SuppressWarnings("try") // scopes and grad-mode blocks are opened for their effect, not referenced
public abstract sealed class Optimizer implements AutoCloseable permits SGD, Adam, AdamW, RMSprop, Adagrad {

    private final OptionSchema schema;
    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    /** Per-parameter state, keyed by the parameter's leaf (identity). Tensors in it are the optimizer's own handles. */
    private final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();
    private boolean closed;

    Optimizer(OptionSchema schema, List<ParamGroup> paramGroups, OptimizerOptions options) {
        this.schema = schema;
        Objects.requireNonNull(paramGroups, "paramGroups");
        Objects.requireNonNull(options, "options");
        if (options.schema() != schema) {
            throw new IllegalArgumentException(schema.optimizer() + " was given " + options.schema().optimizer()
                    + " options: use " + schema.optimizer() + ".options()");
        }
        Map<String, Object> merged = schema.defaults();
        merged.putAll(options.values());
        schema.checkGroup(merged);
        this.defaults = Collections.unmodifiableMap(merged);
        paramGroups.forEach(g -> Objects.requireNonNull(g, "param group"));
        if (paramGroups.stream().allMatch(g -> g.params().isEmpty())) {
            throw new IllegalArgumentException(schema.optimizer() + " got an empty parameter list");
        }
        addGroups(paramGroups);
    }

    // ---- what subclasses implement ------------------------------------------------------------

    /**
     * Updates one parameter in place from its gradient, with grad mode off inside a scope that closes
     * the temporaries. New state tensors are made with {@link #own}.
     */
    abstract void update(Tensor param, Tensor grad, ParamGroup group, Map<String, Object> paramState);

    /** Checks the state of one parameter loaded from a state dict, under the options of its group. */
    abstract void checkState(String where, Map<String, Object> paramState, Map<String, Object> options, Tensor param);

    /** State a parameter gets when its group is added (Adagrad's accumulator); none by default. */
    void initState(Tensor param, Map<String, Object> options, Map<String, Object> paramState) {
    }

    // ---- param groups -------------------------------------------------------------------------

    final OptionSchema schema() {
        return schema;
    }

    /** The options given to the constructor, over the optimizer's own defaults. */
    public Map<String, Object> defaults() {
        return defaults;
    }

    /** The param groups, in order. Their options may be changed (schedulers do); the list may not. */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /**
     * Adds a group, as PyTorch's {@code add_param_group}: useful to train layers unfrozen later. Fails
     * when a parameter does not require grad, is not a leaf, or is already in a group.
     */
    public void addParamGroup(ParamGroup group) {
        requireOpen();
        addGroups(List.of(Objects.requireNonNull(group, "group")));
    }

    /**
     * Checks every group first and only then attaches them, so that a bad group leaves the optimizer,
     * and the groups given with it, as they were (free to be used in another optimizer).
     */
    private void addGroups(List<ParamGroup> newGroups) {
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup existing : groups) {
            for (Tensor p : existing.params()) {
                seen.add(p.gradLeaf());
            }
        }
        List<Map<String, Object>> resolved = new ArrayList<>();
        for (ParamGroup group : newGroups) {
            resolved.add(checkNewGroup(Objects.requireNonNull(group, "param group"), seen));
        }
        for (int g = 0; g < newGroups.size(); g++) {
            ParamGroup group = newGroups.get(g);
            group.attach(this, resolved.get(g));
            groups.add(group);
            try (TensorScope scope = Tensors.scope(); GradMode.Scope off = GradMode.noGrad()) {
                for (Tensor p : group.params()) {
                    Map<String, Object> initial = new LinkedHashMap<>();
                    initState(p, resolved.get(g), initial);
                    if (!initial.isEmpty()) {
                        state.put(p.gradLeaf(), initial);
                    }
                }
            }
        }
    }

    /** The options of a group not yet added, resolved over the defaults; adds its parameters' leaves to {@code seen}. */
    private Map<String, Object> checkNewGroup(ParamGroup group, Set<Tensor> seen) {
        if (group.owner() != null) {
            throw new IllegalArgumentException("the param group already belongs to " + (group.owner() == this ? "this" : "another")
                    + " optimizer");
        }
        Map<String, Object> resolved = group.resolve(schema, defaults);
        Set<Tensor> inGroup = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < group.params().size(); i++) {
            Tensor p = group.params().get(i);
            String which = "parameter " + i + " of the group (shape " + p.shape() + ", " + p.dtype() + ")";
            if (p.isClosed()) {
                throw new IllegalArgumentException(which + " is closed");
            }
            if (!p.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(which + " is not floating-point: only floating-point tensors can be optimized");
            }
            if (!p.isLeaf()) {
                throw new IllegalArgumentException(which + " is not a leaf tensor (it has a grad_fn): optimize the leaf, or a detach()ed copy");
            }
            if (!p.requiresGrad()) {
                throw new IllegalArgumentException(which + " does not require grad: call requiresGrad_(true) on it, or leave it out");
            }
            if (!inGroup.add(p.gradLeaf())) {
                throw new IllegalArgumentException(which + " appears twice in the group");
            }
            if (seen.contains(p.gradLeaf())) {
                throw new IllegalArgumentException(which + " appears in more than one parameter group");
            }
        }
        seen.addAll(inGroup);
        return resolved;
    }

    /** The state of one parameter, by its PyTorch names (empty before its first step); read-only, do not close its tensors. */
    public Map<String, Object> state(Tensor param) {
        Map<String, Object> s = state.get(param.gradLeaf());
        return s == null ? Map.of() : Collections.unmodifiableMap(s);
    }

    // ---- stepping -----------------------------------------------------------------------------

    /**
     * One update of every parameter that has a gradient, as PyTorch's {@code optimizer.step()}. The
     * options, parameters and gradients are all checked before any parameter changes: a closed one
     * fails the step with nothing updated (a gradient of the wrong shape cannot be set at all).
     */
    public void step() {
        requireOpen();
        checkBeforeStep();
        try (GradMode.Scope off = GradMode.noGrad()) {
            for (ParamGroup group : groups) {
                for (Tensor p : group.params()) {
                    Tensor grad = gradOf(p);
                    if (grad == null) {
                        continue;
                    }
                    Map<String, Object> paramState = state.computeIfAbsent(p.gradLeaf(), key -> new LinkedHashMap<>());
                    try (TensorScope scope = Tensors.scope()) {
                        update(p, grad, group, paramState);
                    }
                    if (paramState.isEmpty()) {
                        state.remove(p.gradLeaf());
                    }
                }
            }
        }
    }

    /** Every group's options, and every parameter and gradient, usable: so that a step fails before any update. */
    private void checkBeforeStep() {
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            schema.checkGroup(group.options());
            for (int i = 0; i < group.params().size(); i++) {
                Tensor p = group.params().get(i);
                String which = schema.optimizer() + ": parameter " + i + " of param group " + g;
                if (p.isClosed()) {
                    throw new IllegalStateException(which + " was closed; remove it from the optimizer (make a new one)");
                }
                Tensor grad = gradOf(p);
                if (grad != null && grad.isClosed()) {
                    throw new IllegalStateException(which + " (shape " + p.shape() + ") has a closed gradient: clear it with zeroGrad()"
                            + " or setGrad(null) instead of closing it");
                }
            }
        }
    }

    /**
     * Evaluates the loss with grad mode on ({@code closure} typically zeroes the gradients, runs the
     * model and calls backward), then steps; returns the loss, which the caller owns.
     */
    public Tensor step(Supplier<Tensor> closure) {
        requireOpen();
        Tensor loss;
        try (GradMode.Scope on = GradMode.enableGrad()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /** {@link #zeroGrad(boolean) zeroGrad(true)}, PyTorch 2's default. */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /**
     * Clears the gradients of the parameters: with {@code setToNone} each gradient is closed and set to
     * null (the next backward allocates a fresh one and {@link #step()} skips parameters without one);
     * otherwise the gradients are zeroed in place.
     */
    public void zeroGrad(boolean setToNone) {
        try (GradMode.Scope off = GradMode.noGrad()) {
            for (ParamGroup group : groups) {
                for (Tensor p : group.params()) {
                    clearGrad(p.gradLeaf(), setToNone);
                    if (p != p.gradLeaf()) {
                        clearGrad(p, setToNone);
                    }
                }
            }
        }
    }

    private static void clearGrad(Tensor holder, boolean setToNone) {
        Tensor grad = holder.grad();
        if (grad == null) {
            return;
        }
        if (setToNone) {
            holder.setGrad(null);
            grad.close();
        } else if (grad.gradFn() != null || grad.requiresGrad()) {
            // A gradient recorded with createGraph: replace it by zeros outside the graph, as detach_() then zero_().
            try (Tensor zeros = Tensors.zerosLike(grad)) {
                holder.setGrad(zeros.retain());
            }
            grad.close();
        } else {
            grad.zero_();
        }
    }

    /**
     * The gradient of a parameter: where backward accumulates it (on its leaf), or else one set with
     * {@code setGrad} on a retained handle itself.
     */
    private static Tensor gradOf(Tensor p) {
        Tensor grad = p.gradLeaf().grad();
        return grad != null ? grad : p.grad();
    }

    // ---- state dicts --------------------------------------------------------------------------

    /**
     * The state as PyTorch's {@code optimizer.state_dict()}: {@code "state"} maps the index of each
     * parameter (counted across groups in order) to its state; {@code "param_groups"} lists each
     * group's options with {@code "params"}, the indices of its parameters. Tensors are copies that the
     * caller owns (they belong to the scope open on this thread, if any); the step count is a Long.
     */
    public Map<String, Object> stateDict() {
        requireOpen();
        Map<Integer, Object> packedState = new LinkedHashMap<>();
        List<Object> packedGroups = new ArrayList<>();
        int index = 0;
        try (GradMode.Scope off = GradMode.noGrad()) {
            for (ParamGroup group : groups) {
                List<Integer> ids = new ArrayList<>();
                for (Tensor p : group.params()) {
                    Map<String, Object> s = state.get(p.gradLeaf());
                    if (s != null && !s.isEmpty()) {
                        Map<String, Object> copy = new LinkedHashMap<>();
                        s.forEach((key, value) -> copy.put(key, value instanceof Tensor t ? t.clone() : value));
                        packedState.put(index, copy);
                    }
                    ids.add(index++);
                }
                Map<String, Object> packed = new LinkedHashMap<>(group.options());
                packed.put("params", ids);
                packedGroups.add(packed);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", packedState);
        out.put("param_groups", packedGroups);
        return out;
    }

    /**
     * Loads a state dict made by {@link #stateDict()} (of an optimizer of this kind, over parameters
     * of the same shapes in the same groups): the groups' options are replaced by the saved ones and
     * the state by copies of the saved tensors, converted to each parameter's dtype and device. The
     * dict is checked in full first; on any mismatch it fails with IllegalArgumentException and
     * nothing changes. The caller keeps ownership of the dict's tensors.
     */
    public void loadStateDict(Map<String, ?> stateDict) {
        requireOpen();
        Objects.requireNonNull(stateDict, "stateDict");
        String name = schema.optimizer();
        if (!stateDict.keySet().equals(Set.of("state", "param_groups"))) {
            throw new IllegalArgumentException(name + ": an optimizer state dict has the keys [state, param_groups], this one has "
                    + stateDict.keySet());
        }
        List<?> savedGroups = StateDicts.list(stateDict.get("param_groups"), "param_groups");
        if (savedGroups.size() != groups.size()) {
            throw new IllegalArgumentException(name + ": the loaded state dict has " + savedGroups.size()
                    + " parameter groups, this optimizer has " + groups.size());
        }
        Map<Long, Tensor> paramById = new HashMap<>();
        Map<Long, Map<String, Object>> optionsById = new HashMap<>();
        List<Map<String, Object>> newOptions = new ArrayList<>();
        for (int g = 0; g < savedGroups.size(); g++) {
            String where = "param_groups[" + g + "]";
            Map<?, ?> saved = StateDicts.map(savedGroups.get(g), where);
            if (!saved.containsKey("params")) {
                throw new IllegalArgumentException(name + ": " + where + " has no \"params\" list");
            }
            List<?> ids = StateDicts.list(saved.get("params"), where + ".params");
            List<Tensor> params = groups.get(g).params();
            if (ids.size() != params.size()) {
                throw new IllegalArgumentException(name + ": " + where + " of the loaded state dict has " + ids.size()
                        + " parameters, this optimizer's group " + g + " has " + params.size());
            }
            Map<String, Object> options = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : saved.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(name + ": " + where + " has a key that is not a string: " + entry.getKey());
                }
                if (!key.equals("params")) {
                    try {
                        options.put(key, schema.check(key, entry.getValue()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                    }
                }
            }
            for (String key : schema.keys()) {
                if (!options.containsKey(key)) {
                    throw new IllegalArgumentException(name + ": " + where + " lacks the option '" + key
                            + "' (was the state dict saved from another optimizer? it has " + options.keySet() + ")");
                }
            }
            try {
                schema.checkGroup(options);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            newOptions.add(options);
            for (int j = 0; j < ids.size(); j++) {
                long id = StateDicts.integral(ids.get(j), where + ".params[" + j + "]");
                if (paramById.put(id, params.get(j)) != null) {
                    throw new IllegalArgumentException(name + ": parameter index " + id + " appears more than once in param_groups");
                }
                optionsById.put(id, options);
            }
        }
        Map<?, ?> savedState = StateDicts.map(stateDict.get("state"), "state");
        Map<Tensor, Map<String, Object>> validated = new IdentityHashMap<>();
        for (Map.Entry<?, ?> entry : savedState.entrySet()) {
            long id = StateDicts.integral(entry.getKey(), "a key of state");
            String where = "state[" + id + "]";
            Tensor param = paramById.get(id);
            if (param == null) {
                throw new IllegalArgumentException(name + ": the loaded state has an entry for parameter " + id
                        + ", but no group of param_groups lists parameter " + id + " (indices: " + paramById.keySet() + ")");
            }
            Map<?, ?> saved = StateDicts.map(entry.getValue(), where);
            Map<String, Object> paramState = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : saved.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(name + ": " + where + " has a key that is not a string: " + e.getKey());
                }
                if (e.getValue() != null) {
                    paramState.put(key, e.getValue());
                }
            }
            checkState(name + ": " + where, paramState, optionsById.get(id), param);
            validated.put(param.gradLeaf(), paramState);
        }
        // Everything checked: build the new state, then swap it in.
        Map<Tensor, Map<String, Object>> fresh = new IdentityHashMap<>();
        try (TensorScope scope = Tensors.scope(); GradMode.Scope off = GradMode.noGrad()) {
            for (ParamGroup group : groups) {
                for (Tensor p : group.params()) {
                    Map<String, Object> saved = validated.get(p.gradLeaf());
                    if (saved == null || saved.isEmpty()) {
                        continue;
                    }
                    Map<String, Object> converted = new LinkedHashMap<>();
                    fresh.put(p.gradLeaf(), converted);
                    for (Map.Entry<String, Object> e : saved.entrySet()) {
                        Object value = e.getValue();
                        if (e.getKey().equals("step")) {
                            converted.put("step", StateDicts.step(value, "step"));
                        } else if (value instanceof Tensor t) {
                            converted.put(e.getKey(), own(Tensors.empty(p.shape(), p.dtype(), p.device()).copy_(t)));
                        } else {
                            converted.put(e.getKey(), value);
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            fresh.values().forEach(Optimizer::closeTensors);
            throw e;
        }
        state.values().forEach(Optimizer::closeTensors);
        state.clear();
        state.putAll(fresh);
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).replaceOptions(newOptions.get(g));
        }
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /** Releases the state tensors; the optimizer cannot step afterwards. Closing twice does nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            state.values().forEach(Optimizer::closeTensors);
            state.clear();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(schema.optimizer() + " was closed");
        }
    }

    private static void closeTensors(Map<String, Object> paramState) {
        for (Object value : paramState.values()) {
            if (value instanceof Tensor t) {
                t.close();
            }
        }
    }

    // ---- helpers for the updates --------------------------------------------------------------

    /** A handle to {@code fresh} that outlives scopes, for state; {@code fresh} itself is closed. */
    static Tensor own(Tensor fresh) {
        try (fresh) {
            return fresh.retain();
        }
    }

    /** The state tensor under {@code key}, made as zeros like the parameter on first use. */
    static Tensor zerosState(Map<String, Object> paramState, String key, Tensor param) {
        Object value = paramState.get(key);
        if (value instanceof Tensor t) {
            return t;
        }
        Tensor made = own(Tensors.zerosLike(param));
        paramState.put(key, made);
        return made;
    }

    /** Increments the step count (starting it at 0) and returns the new count. */
    static long nextStep(Map<String, Object> paramState) {
        long step = paramState.get("step") instanceof Long n ? n + 1 : 1;
        paramState.put("step", step);
        return step;
    }

    /** {@code param += alpha * direction}, as PyTorch's {@code param.add_(direction, alpha=alpha)}. */
    static void addScaled(Tensor target, Tensor direction, double alpha) {
        if (alpha == 1) {
            target.add_(direction);
            return;
        }
        try (Tensor scaled = direction.mul(alpha)) {
            target.add_(scaled);
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(schema.optimizer()).append(" (");
        for (int i = 0; i < groups.size(); i++) {
            out.append("\n  group ").append(i).append(": ").append(groups.get(i).options())
                    .append(", ").append(groups.get(i).params().size()).append(" parameters");
        }
        return out.append("\n)").toString();
    }
}
