package ignis.data;

import ignis.tensor.Tensor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tensors inside a batch, and closing them. A batch is a {@link Tensor} or a structure of them:
 * arrays, {@link Iterable}s, {@link Map} values, {@link Optional}s and records, nested to any depth.
 * Tensors held in other objects are not seen.
 */
public final class Batches {

    private Batches() {
    }

    /** Every tensor in {@code batch}, each once, depth-first in order. */
    public static List<Tensor> tensors(Object batch) {
        List<Tensor> out = new ArrayList<>();
        collect(batch, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    /** Closes every tensor in {@code batch}; null and batches without tensors are fine. */
    public static void close(Object batch) {
        RuntimeException failure = null;
        for (Tensor t : tensors(batch)) {
            try {
                t.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void collect(Object o, List<Tensor> out, Set<Object> seen) {
        if (o == null || o instanceof CharSequence || o instanceof Number || o instanceof Boolean || !seen.add(o)) {
            return;
        }
        switch (o) {
            case Tensor t -> out.add(t);
            case Object[] array -> {
                for (Object e : array) {
                    collect(e, out, seen);
                }
            }
            case Map<?, ?> map -> {
                for (Object e : map.values()) {
                    collect(e, out, seen);
                }
            }
            case Iterable<?> iterable -> {
                for (Object e : iterable) {
                    collect(e, out, seen);
                }
            }
            case Optional<?> optional -> optional.ifPresent(e -> collect(e, out, seen));
            case Record record -> {
                for (RecordComponent c : record.getClass().getRecordComponents()) {
                    collect(component(record, c), out, seen);
                }
            }
            default -> {
            }
        }
    }

    /** The value of one component of a record, also for records in non-public classes. */
    static Object component(Record record, RecordComponent c) {
        Method accessor = c.getAccessor();
        try {
            if (!accessor.canAccess(record)) {
                accessor.setAccessible(true);
            }
            return accessor.invoke(record);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read component '" + c.getName() + "' of " + record.getClass().getName()
                    + ": " + e.getMessage() + " (make the record public, or open its package)", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the accessor of '" + c.getName() + "' of " + record.getClass().getName() + " failed", e.getCause());
        }
    }
}
