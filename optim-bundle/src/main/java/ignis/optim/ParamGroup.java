package ignis.optim;

import ignis.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A set of parameters that share options, as one entry of PyTorch's {@code optimizer.param_groups}:
 * {@code ParamGroup.of(head.parameters(), SGD.options().lr(1e-3))}. The options not given are filled
 * from the optimizer's defaults when the group is added to it. Options are keyed by their PyTorch
 * names ({@code lr}, {@code momentum}, {@code betas}...); schedulers read and write them, and may add
 * their own keys such as {@code initial_lr}.
 *
 * <p>A group belongs to at most one optimizer. Not thread-safe.
 */
public final class ParamGroup {

    private final List<Tensor> params;
    private final OptimizerOptions given;
    private final Map<String, Object> options = new LinkedHashMap<>();
    private Optimizer owner;

    private ParamGroup(List<Tensor> params, OptimizerOptions given) {
        this.params = params;
        this.given = given;
        if (given != null) {
            options.putAll(given.values());
        }
    }

    /** A group whose options all come from the optimizer's defaults. */
    public static ParamGroup of(Iterable<Tensor> params) {
        return new ParamGroup(copy(params), null);
    }

    /** A group with some options of its own, the others from the optimizer's defaults. */
    public static ParamGroup of(Iterable<Tensor> params, OptimizerOptions options) {
        return new ParamGroup(copy(params), Objects.requireNonNull(options, "options"));
    }

    private static List<Tensor> copy(Iterable<Tensor> params) {
        Objects.requireNonNull(params, "params");
        List<Tensor> out = new ArrayList<>();
        int i = 0;
        for (Tensor p : params) {
            if (p == null) {
                throw new IllegalArgumentException("parameter " + i + " of the group is null");
            }
            out.add(p);
            i++;
        }
        return Collections.unmodifiableList(out);
    }

    /** The parameters, in order. */
    public List<Tensor> params() {
        return params;
    }

    /** The options by their PyTorch names (only those given, until the group is added to an optimizer). */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    public boolean has(String key) {
        return options.containsKey(key);
    }

    /** The value of an option; fails when the group has no such option. */
    public Object get(String key) {
        Object value = options.get(key);
        if (value == null && !options.containsKey(key)) {
            throw new IllegalArgumentException("the param group has no option '" + key + "' (it has " + options.keySet() + ")");
        }
        return value;
    }

    public double getDouble(String key) {
        if (get(key) instanceof Number number) {
            return number.doubleValue();
        }
        throw new IllegalArgumentException("option '" + key + "' of the param group is not a number: " + get(key));
    }

    public boolean getBoolean(String key) {
        if (get(key) instanceof Boolean flag) {
            return flag;
        }
        throw new IllegalArgumentException("option '" + key + "' of the param group is not a boolean: " + get(key));
    }

    /** A pair or list of numbers, such as {@code betas}. */
    public double[] getDoubles(String key) {
        if (get(key) instanceof List<?> list) {
            double[] out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number number)) {
                    throw new IllegalArgumentException("option '" + key + "' of the param group holds a non-number: " + list);
                }
                out[i] = number.doubleValue();
            }
            return out;
        }
        throw new IllegalArgumentException("option '" + key + "' of the param group is not a list of numbers: " + get(key));
    }

    /** The learning rate. */
    public double lr() {
        return getDouble("lr");
    }

    public void setLr(double lr) {
        set("lr", lr);
    }

    /**
     * Sets an option. Once the group belongs to an optimizer, the value is checked as the optimizer's
     * constructor checks it (a negative lr fails), and against the group's other options.
     */
    public void set(String key, Object value) {
        if (owner == null) {
            options.put(key, value);
            return;
        }
        Object checked = owner.schema().check(key, value);
        Map<String, Object> next = new LinkedHashMap<>(options);
        next.put(key, checked);
        owner.schema().checkGroup(next);
        options.put(key, checked);
    }

    // ---- for the optimizer --------------------------------------------------------------------

    Optimizer owner() {
        return owner;
    }

    /** The options given with the group, checked against {@code schema} and completed from {@code defaults}. */
    Map<String, Object> resolve(OptionSchema schema, Map<String, Object> defaults) {
        if (given != null && given.schema() != schema) {
            throw new IllegalArgumentException("the param group was given " + given.schema().optimizer()
                    + " options, but the optimizer is " + schema.optimizer() + ": use " + schema.optimizer() + ".options()");
        }
        Map<String, Object> resolved = new LinkedHashMap<>(defaults);
        for (Map.Entry<String, Object> entry : options.entrySet()) {
            resolved.put(entry.getKey(), schema.check(entry.getKey(), entry.getValue()));
        }
        schema.checkGroup(resolved);
        return resolved;
    }

    void attach(Optimizer optimizer, Map<String, Object> resolved) {
        owner = optimizer;
        replaceOptions(resolved);
    }

    void replaceOptions(Map<String, Object> resolved) {
        options.clear();
        options.putAll(resolved);
    }

    @Override
    public String toString() {
        return "ParamGroup" + options + " with " + params.size() + " parameters";
    }
}
