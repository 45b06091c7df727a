package ignis.data;

import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the items of one batch into the batch, as PyTorch's {@code collate_fn}.
 *
 * <p>{@link #defaultCollate()} is PyTorch's {@code default_collate}, structure by structure:
 * <ul>
 * <li>tensors of equal shape are stacked along a new dimension 0 ({@code [B, ...]});
 * <li>arrays ({@code Tensor[]}, {@code Object[]}), {@link List}s, {@link Map}s (by key) and records
 *     are merged element by element, keeping their type: a batch of {@code Tensor[]} items is a
 *     {@code Tensor[]}, a batch of records is a record of the same class;
 * <li>inside those, integer numbers ({@code Integer}, {@code Long}, {@code Short}, {@code Byte})
 *     become an int64 tensor {@code [B]}, {@code Double}s a float64 one and {@code Float}s a float32
 *     one (a mix with a {@code Double} gives float64, as Python floats do in PyTorch), {@code Boolean}s
 *     a bool one; {@code float[]}, {@code double[]}, {@code int[]}, {@code long[]} and
 *     {@code boolean[]} of equal length a tensor {@code [B, length]}; strings stay a list of strings.
 * </ul>
 * A record component or array element must be able to hold the merged value: a record of tensors
 * is fine, a record with an {@code int} field is not (use a {@code Tensor} field, or a collate function
 * of your own). Items whose batch has another type ({@code Integer} items make a {@code Tensor}) are
 * collated with {@link #numbers()}, or {@link #any()}.
 *
 * <p>A collate function must return new tensors: the loader hands the batch to the caller, who
 * closes it. The default one always copies.
 *
 * @param <T> the type of an item
 * @param <B> the type of a batch
 */
@FunctionalInterface
public interface Collate<T, B> {

    /** The batch of {@code items}, a non-empty list. */
    B collate(List<T> items);

    /**
     * PyTorch's {@code default_collate} for items whose batch has their own type: tensors, arrays,
     * lists, maps and records of tensors (see the class comment).
     *
     * @throws IllegalArgumentException at collation, naming the type, when a batch of such items
     *         would not be a {@code T} (numbers, strings, primitive arrays)
     */
    static <T> Collate<T, T> defaultCollate() {
        @SuppressWarnings("unchecked")
        Collate<T, T> sameType = (Collate<T, T>) DefaultCollate.SAME_TYPE;
        return sameType;
    }

    /** PyTorch's {@code default_collate} for any items; the type of the batch depends on the items. */
    static <T> Collate<T, Object> any() {
        return items -> DefaultCollate.collate(items, "item");
    }

    /** Numbers into a 1-D tensor: int64 for integers, float64 with a {@code Double}, float32 for {@code Float}s. */
    static <T extends Number> Collate<T, Tensor> numbers() {
        return items -> (Tensor) DefaultCollate.collate(items, "item");
    }
}

/** The structural recursion of {@link Collate#defaultCollate()}. */
final class DefaultCollate {

    /** {@link Collate#defaultCollate()}, one instance, so that a loader can tell it from others. */
    static final Collate<Object, Object> SAME_TYPE = items -> {
        Object first = items.isEmpty() ? null : items.getFirst();
        if (first instanceof Number || first instanceof Boolean || first instanceof CharSequence
                || first != null && first.getClass().isArray() && first.getClass().getComponentType().isPrimitive()) {
            throw new IllegalArgumentException("the default collate keeps the type of the items, but a batch of "
                    + first.getClass().getSimpleName() + " items is not a " + first.getClass().getSimpleName()
                    + ": collate them with Collate.numbers() or Collate.any()");
        }
        return collate(items, "item");
    };

    private DefaultCollate() {
    }

    static Object collate(List<?> items, String path) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("collate: a batch needs at least one item");
        }
        Object first = items.getFirst();
        if (first == null) {
            throw new IllegalArgumentException("collate: " + path + " of item 0 is null");
        }
        return switch (first) {
            case Tensor t -> Tensors.stack(all(items, Tensor.class, path), 0);
            case Number n -> numbers(items, path);
            case Boolean b -> {
                List<Boolean> values = all(items, Boolean.class, path);
                boolean[] data = new boolean[values.size()];
                for (int i = 0; i < data.length; i++) {
                    data[i] = values.get(i);
                }
                yield Tensors.of(data);
            }
            case CharSequence s -> all(items, CharSequence.class, path).stream().map(CharSequence::toString).toList();
            case float[] a -> primitiveArrays(items, path, float[].class);
            case double[] a -> primitiveArrays(items, path, double[].class);
            case int[] a -> primitiveArrays(items, path, int[].class);
            case long[] a -> primitiveArrays(items, path, long[].class);
            case boolean[] a -> primitiveArrays(items, path, boolean[].class);
            case Object[] array -> arrays(items, array, path);
            case Record r -> records(items, r, path);
            case List<?> list -> lists(items, list.size(), path);
            case Map<?, ?> map -> maps(items, map, path);
            default -> throw new IllegalArgumentException("collate: the default collate cannot batch " + path + " of type "
                    + first.getClass().getName() + "; pass a collate function of your own");
        };
    }

    private static <E> List<E> all(List<?> items, Class<E> type, String path) {
        List<E> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object o = items.get(i);
            if (!type.isInstance(o)) {
                throw new IllegalArgumentException("collate: " + path + " of item 0 is a " + items.getFirst().getClass().getSimpleName()
                        + " but of item " + i + " a " + (o == null ? "null" : o.getClass().getSimpleName()));
            }
            out.add(type.cast(o));
        }
        return out;
    }

    private static Tensor numbers(List<?> items, String path) {
        List<Number> values = all(items, Number.class, path);
        boolean anyDouble = false;
        boolean anyFloat = false;
        for (Number n : values) {
            switch (n) {
                case Double d -> anyDouble = true;
                case Float f -> anyFloat = true;
                case Integer i -> { }
                case Long l -> { }
                case Short s -> { }
                case Byte b -> { }
                default -> throw new IllegalArgumentException("collate: " + path + " is a " + n.getClass().getName()
                        + "; the default collate takes Integer, Long, Short, Byte, Float and Double");
            }
        }
        int n = values.size();
        if (anyDouble) {
            double[] data = new double[n];
            for (int i = 0; i < n; i++) {
                data[i] = values.get(i).doubleValue();
            }
            return Tensors.of(data);
        }
        if (anyFloat) {
            float[] data = new float[n];
            for (int i = 0; i < n; i++) {
                data[i] = values.get(i).floatValue();
            }
            return Tensors.of(data);
        }
        long[] data = new long[n];
        for (int i = 0; i < n; i++) {
            data[i] = values.get(i).longValue();
        }
        return Tensors.of(data);
    }

    private static Tensor primitiveArrays(List<?> items, String path, Class<?> type) {
        List<?> arrays = all(items, type, path);
        int length = Array.getLength(arrays.getFirst());
        Object data = Array.newInstance(type.getComponentType(), arrays.size() * length);
        for (int i = 0; i < arrays.size(); i++) {
            Object a = arrays.get(i);
            if (Array.getLength(a) != length) {
                throw new IllegalArgumentException("collate: " + path + " has length " + length + " in item 0 but "
                        + Array.getLength(a) + " in item " + i);
            }
            System.arraycopy(a, 0, data, i * length, length);
        }
        long[] shape = {arrays.size(), length};
        return switch (data) {
            case float[] f -> Tensors.of(f, shape);
            case double[] d -> Tensors.of(d, shape);
            case int[] in -> Tensors.of(in, shape);
            case long[] l -> Tensors.of(l, shape);
            case boolean[] b -> Tensors.of(b, shape);
            default -> throw new AssertionError(type);
        };
    }

    /** Element {@code k} of every item, collated; on failure closes the parts made so far. */
    private interface Column {
        List<Object> of(int k);
    }

    private static Object[] columns(int width, Column column, String path, String[] names) {
        Object[] out = new Object[width];
        try {
            for (int k = 0; k < width; k++) {
                out[k] = collate(column.of(k), path + (names == null ? "[" + k + "]" : "." + names[k]));
            }
            return out;
        } catch (RuntimeException e) {
            closeQuietly(out, e);
            throw e;
        }
    }

    private static Object arrays(List<?> items, Object[] first, String path) {
        List<Object[]> arrays = all(items, Object[].class, path);
        int width = first.length;
        for (int i = 0; i < arrays.size(); i++) {
            if (arrays.get(i).length != width) {
                throw new IllegalArgumentException("collate: " + path + " has " + width + " elements in item 0 but "
                        + arrays.get(i).length + " in item " + i);
            }
        }
        Object[] parts = columns(width, k -> column(arrays, a -> a[k]), path, null);
        Object[] out = (Object[]) Array.newInstance(first.getClass().getComponentType(), width);
        try {
            for (int k = 0; k < width; k++) {
                out[k] = parts[k];
            }
        } catch (ArrayStoreException e) {
            closeQuietly(parts, e);
            throw new IllegalArgumentException("collate: " + path + " is a " + first.getClass().getSimpleName()
                    + ", which cannot hold the batch of its elements (" + e.getMessage() + "); use Object[] items or a collate function", e);
        }
        return out;
    }

    private static Object records(List<?> items, Record first, String path) {
        Class<?> type = first.getClass();
        List<?> records = all(items, type, path);
        RecordComponent[] components = type.getRecordComponents();
        String[] names = new String[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int k = 0; k < components.length; k++) {
            names[k] = components[k].getName();
            types[k] = components[k].getType();
        }
        Object[] parts = columns(components.length, k -> column(records, r -> Batches.component((Record) r, components[k])), path, names);
        for (int k = 0; k < components.length; k++) {
            Class<?> wanted = types[k].isPrimitive() ? Void.class : types[k];
            if (!wanted.isInstance(parts[k])) {
                IllegalArgumentException e = new IllegalArgumentException("collate: component '" + names[k] + "' of "
                        + type.getSimpleName() + " is a " + types[k].getSimpleName() + " but its batch is a "
                        + parts[k].getClass().getSimpleName() + "; declare it as " + parts[k].getClass().getSimpleName()
                        + " (a Tensor for numbers) or pass a collate function");
                closeQuietly(parts, e);
                throw e;
            }
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            if (!constructor.canAccess(null)) {
                constructor.setAccessible(true);
            }
            return constructor.newInstance(parts);
        } catch (InvocationTargetException e) {
            closeQuietly(parts, e);
            throw new IllegalArgumentException("collate: the constructor of " + type.getName() + " rejected the batch: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            closeQuietly(parts, e);
            throw new IllegalArgumentException("collate: cannot make a " + type.getName() + ": " + e.getMessage()
                    + " (make the record public, or open its package)", e);
        }
    }

    private static Object lists(List<?> items, int width, String path) {
        List<List<?>> lists = new ArrayList<>();
        for (Object o : all(items, List.class, path)) {
            List<?> list = (List<?>) o;
            if (list.size() != width) {
                throw new IllegalArgumentException("collate: " + path + " has " + width + " elements in item 0 but "
                        + list.size() + " in item " + lists.size());
            }
            lists.add(list);
        }
        return Collections.unmodifiableList(java.util.Arrays.asList(columns(width, k -> column(lists, l -> l.get(k)), path, null)));
    }

    private static Object maps(List<?> items, Map<?, ?> first, String path) {
        List<Map<?, ?>> maps = new ArrayList<>();
        for (Object o : all(items, Map.class, path)) {
            Map<?, ?> map = (Map<?, ?>) o;
            if (!map.keySet().equals(first.keySet())) {
                throw new IllegalArgumentException("collate: " + path + " has keys " + first.keySet() + " in item 0 but "
                        + map.keySet() + " in item " + maps.size());
            }
            maps.add(map);
        }
        List<Object> keys = new ArrayList<>(first.keySet());
        String[] names = keys.stream().map(String::valueOf).toArray(String[]::new);
        Object[] parts = columns(keys.size(), k -> column(maps, m -> m.get(keys.get(k))), path, names);
        Map<Object, Object> out = new LinkedHashMap<>();
        for (int k = 0; k < keys.size(); k++) {
            out.put(keys.get(k), parts[k]);
        }
        return Collections.unmodifiableMap(out);
    }

    private static <E> List<Object> column(List<E> items, java.util.function.Function<E, Object> element) {
        List<Object> out = new ArrayList<>(items.size());
        for (E item : items) {
            out.add(element.apply(item));
        }
        return out;
    }

    private static void closeQuietly(Object[] parts, Throwable failure) {
        try {
            Batches.close(parts);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
