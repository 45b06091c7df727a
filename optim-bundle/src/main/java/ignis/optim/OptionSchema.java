package ignis.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.DoublePredicate;

/**
 * The options the param groups of one optimizer carry: their PyTorch names (the keys of
 * {@code param_groups} in a state dict), defaults and checks. Values are held normalised: numbers as
 * {@link Double}, flags as {@link Boolean}, pairs such as {@code betas} as a {@code List<Double>}.
 * Keys outside the schema (such as the {@code initial_lr} that schedulers add, or the
 * {@code foreach: None} of a PyTorch state dict) are kept as given when they are null, numbers,
 * booleans, strings or lists of them.
 */
final class OptionSchema {

    @FunctionalInterface
    private interface Check {
        Object apply(Object value);
    }

    private record Option(Object defaultValue, Check check) {
    }

    private final String optimizer;
    private final Map<String, Option> options;
    private final List<Consumer<Map<String, Object>>> groupChecks;

    private OptionSchema(String optimizer, Map<String, Option> options, List<Consumer<Map<String, Object>>> groupChecks) {
        this.optimizer = optimizer;
        this.options = Collections.unmodifiableMap(options);
        this.groupChecks = List.copyOf(groupChecks);
    }

    static Builder builder(String optimizer) {
        return new Builder(optimizer);
    }

    /** The optimizer's name, for messages. */
    String optimizer() {
        return optimizer;
    }

    Set<String> keys() {
        return options.keySet();
    }

    /** A fresh, mutable map of every option at its default, in declaration order. */
    Map<String, Object> defaults() {
        Map<String, Object> out = new LinkedHashMap<>();
        options.forEach((key, option) -> out.put(key, option.defaultValue()));
        return out;
    }

    /** {@code value} checked and normalised for {@code key}; fails with a message naming both. */
    Object check(String key, Object value) {
        if (key == null) {
            throw new IllegalArgumentException(optimizer + ": option names cannot be null");
        }
        if (key.equals("params")) {
            throw new IllegalArgumentException(optimizer + ": 'params' is not an option: a group's parameters are fixed when it is"
                    + " made; add others with addParamGroup");
        }
        Option option = options.get(key);
        return option != null ? option.check().apply(value) : checkExtra(key, value);
    }

    /** Every option present and the options consistent with each other. */
    void checkGroup(Map<String, Object> group) {
        for (String key : options.keySet()) {
            if (!group.containsKey(key)) {
                throw new IllegalArgumentException(optimizer + ": the param group lacks the option '" + key
                        + "' (options of " + optimizer + ": " + options.keySet() + ")");
            }
        }
        groupChecks.forEach(check -> check.accept(group));
    }

    private Object checkExtra(String key, Object value) {
        if (value == null || isPlain(value)) {
            return value instanceof List<?> list ? List.copyOf(list) : value;
        }
        throw new IllegalArgumentException(optimizer + ": option '" + key + "' has a value of type "
                + value.getClass().getName() + "; param-group options hold numbers, booleans, strings or lists of them");
    }

    private static boolean isPlain(Object value) {
        if (value instanceof Number || value instanceof Boolean || value instanceof String) {
            return true;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof Number || item instanceof Boolean || item instanceof String)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    static final class Builder {
        private final String optimizer;
        private final Map<String, Option> options = new LinkedHashMap<>();
        private final List<Consumer<Map<String, Object>>> groupChecks = new ArrayList<>();

        private Builder(String optimizer) {
            this.optimizer = optimizer;
        }

        /** A finite number; {@code what} names it in messages, {@code rule} says what {@code valid} accepts. */
        Builder number(String key, double defaultValue, String what, DoublePredicate valid, String rule) {
            Check check = value -> {
                if (!(value instanceof Number number)) {
                    throw new IllegalArgumentException(optimizer + ": " + what + " (" + key + ") must be a number, not "
                            + describe(value));
                }
                double v = number.doubleValue();
                if (!Double.isFinite(v) || !valid.test(v)) {
                    throw new IllegalArgumentException(optimizer + ": invalid " + what + " (" + key + "): " + v
                            + "; it must be " + rule);
                }
                return v;
            };
            options.put(key, new Option(check.apply(defaultValue), check));
            return this;
        }

        Builder flag(String key, boolean defaultValue) {
            Check check = value -> {
                if (!(value instanceof Boolean)) {
                    throw new IllegalArgumentException(optimizer + ": option " + key + " must be a boolean, not " + describe(value));
                }
                return value;
            };
            options.put(key, new Option(defaultValue, check));
            return this;
        }

        /** Adam's {@code betas}: two numbers in [0, 1), given as a list of two numbers or a double[2]. */
        Builder betas(double beta1, double beta2) {
            Check check = value -> {
                List<?> pair = value instanceof double[] array && array.length == 2 ? List.of(array[0], array[1])
                        : value instanceof List<?> list ? list : null;
                if (pair == null || pair.size() != 2) {
                    throw new IllegalArgumentException(optimizer + ": betas must be a pair of numbers (beta1, beta2), not "
                            + describe(value));
                }
                double[] out = new double[2];
                for (int i = 0; i < 2; i++) {
                    if (!(pair.get(i) instanceof Number number)) {
                        throw new IllegalArgumentException(optimizer + ": beta parameter at index " + i + " must be a number, not "
                                + describe(pair.get(i)));
                    }
                    out[i] = number.doubleValue();
                    if (!(out[i] >= 0 && out[i] < 1)) {
                        throw new IllegalArgumentException(optimizer + ": invalid beta parameter at index " + i + ": " + out[i]
                                + "; betas must be in [0, 1)");
                    }
                }
                return List.of(out[0], out[1]);
            };
            options.put("betas", new Option(check.apply(List.of(beta1, beta2)), check));
            return this;
        }

        /** A check of options against each other, run on every complete group. */
        Builder groupCheck(Consumer<Map<String, Object>> check) {
            groupChecks.add(check);
            return this;
        }

        OptionSchema build() {
            return new OptionSchema(optimizer, new LinkedHashMap<>(options), groupChecks);
        }

        private static String describe(Object value) {
            return value == null ? "null" : value + " (" + value.getClass().getSimpleName() + ")";
        }
    }
}
