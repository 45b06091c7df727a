package ignis.optim;

import ignis.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading state dicts back: each value checked for its type, with the place it was found in the message. */
final class StateDicts {

    private StateDicts() {
    }

    static List<?> list(Object value, String where) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException(where + " must be a List, not " + describe(value));
    }

    static Map<?, ?> map(Object value, String where) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new IllegalArgumentException(where + " must be a Map, not " + describe(value));
    }

    /** An integer, given as any Number with an integral value. */
    static long integral(Object value, String where) {
        if (value instanceof Number number && !(value instanceof Float || value instanceof Double)) {
            return number.longValue();
        }
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
                && Math.abs(number.doubleValue()) < 0x1p53) {
            return number.longValue();
        }
        throw new IllegalArgumentException(where + " must be an integer, not " + describe(value));
    }

    static double number(Object value, String where) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw new IllegalArgumentException(where + " must be a number, not " + describe(value));
    }

    /** An optimizer's step count: a non-negative integer, or (as PyTorch saves it) a one-element tensor holding one. */
    static long step(Object value, String where) {
        Object v = value;
        if (value instanceof Tensor t) {
            if (t.isClosed() || t.numel() != 1) {
                throw new IllegalArgumentException(where + " must be a number or a one-element tensor, not " + describe(value));
            }
            v = t.item();
        }
        long step = integral(v, where);
        if (step < 0) {
            throw new IllegalArgumentException(where + " must be >= 0, not " + step);
        }
        return step;
    }

    /**
     * Checks one parameter's loaded state: only the keys of {@code allowed} (tensors of the parameter's
     * shape) and, with {@code hasStep}, {@code "step"}; every key of {@code required} present.
     */
    static void checkParamState(String where, Map<String, Object> state, Tensor param, Set<String> allowed,
                                Set<String> required, boolean hasStep) {
        Set<String> known = new LinkedHashSet<>();
        if (hasStep) {
            known.add("step");
        }
        known.addAll(allowed);
        for (Map.Entry<String, Object> entry : state.entrySet()) {
            String key = entry.getKey();
            if (!known.contains(key)) {
                throw new IllegalArgumentException(where + " has the key '" + key + "', which this optimizer's state does not have "
                        + "(its keys: " + known + "; was the state dict saved from another optimizer?)");
            }
            if (key.equals("step")) {
                step(entry.getValue(), where + ".step");
                continue;
            }
            if (!(entry.getValue() instanceof Tensor t)) {
                throw new IllegalArgumentException(where + "." + key + " must be a Tensor, not " + describe(entry.getValue()));
            }
            if (t.isClosed()) {
                throw new IllegalArgumentException(where + "." + key + " is a closed tensor");
            }
            if (!t.shape().equals(param.shape())) {
                throw new IllegalArgumentException(where + "." + key + " has shape " + t.shape() + ", but the parameter has shape "
                        + param.shape());
            }
            if (!t.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(where + "." + key + " has dtype " + t.dtype() + "; optimizer state is floating-point");
            }
        }
        if (state.isEmpty()) {
            return;
        }
        List<String> missing = new ArrayList<>();
        if (hasStep && !state.containsKey("step")) {
            missing.add("step");
        }
        for (String key : required) {
            if (!state.containsKey(key)) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(where + " lacks " + missing + " (it has " + state.keySet() + ")");
        }
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Tensor t) {
            return t.isClosed() ? "a closed tensor" : "a tensor of shape " + t.shape() + " " + t.dtype();
        }
        return value + " (" + value.getClass().getSimpleName() + ")";
    }
}
