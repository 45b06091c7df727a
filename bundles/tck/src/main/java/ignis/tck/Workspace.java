package ignis.tck;

import ignis.tensor.DType;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.DeviceBackend;
import ignis.tensor.spi.Storage;
import ignis.tensor.spi.TensorView;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * Makes the views of one kernel call and reads them back. On a {@link DeviceBackend} the kit
 * allocates device memory, moves each whole storage in with {@code copyFromHost} (same dtype, one
 * contiguous run, so broadcast and strided layouts arrive intact) and back with {@code copyToHost}
 * after {@code synchronize()}; on any other backend it uses its own host memory directly. Storage
 * outside a view is filled with the byte 0x5A, which reads as a large value in every dtype (and as
 * a non-canonical true in bool), so that stray reads and writes show.
 */
final class Workspace implements AutoCloseable {

    static final byte SENTINEL = 0x5A;

    final Backend backend;
    private final DeviceBackend device;
    private final List<Storage> owned = new ArrayList<>();

    Workspace(Backend backend) {
        this(backend, backend instanceof DeviceBackend d ? d : null);
    }

    private Workspace(Backend backend, DeviceBackend device) {
        this.backend = backend;
        this.device = device;
    }

    /** A workspace in host memory even for a device backend: the host side of its transfers. */
    static Workspace onHost(Backend backend) {
        return new Workspace(backend, null);
    }

    /** An input holding {@code values} (row-major over {@code shape}) of a floating dtype. */
    KitTensor input(String name, DType dtype, long[] shape, Layout layout, double[] values) {
        check(values.length, shape);
        return make(name, dtype, shape, layout, i -> Numbers.encode(dtype, values[i]));
    }

    /** An input holding {@code values} of an integral or bool dtype (bool: the byte, any non-zero is true). */
    KitTensor input(String name, DType dtype, long[] shape, Layout layout, long[] values) {
        check(values.length, shape);
        return make(name, dtype, shape, layout, i -> Numbers.encode(dtype, values[i]));
    }

    /** An input of any dtype from a pool's values: doubles for floating dtypes, longs for the others. */
    KitTensor input(String name, DType dtype, long[] shape, Layout layout, Object values) {
        return values instanceof double[] d ? input(name, dtype, shape, layout, d) : input(name, dtype, shape, layout, (long[]) values);
    }

    /** An output: every element, in the view and around it, holds the sentinel. */
    KitTensor output(String name, DType dtype, long[] shape, Layout layout) {
        if (layout.broadcast()) {
            throw new IllegalArgumentException("an output cannot be " + layout);
        }
        long sentinel = 0;
        for (int b = 0; b < dtype.byteSize(); b++) {
            sentinel = sentinel << 8 | (SENTINEL & 0xFF);
        }
        long s = sentinel;
        return make(name, dtype, shape, layout, i -> s);
    }

    private static void check(int count, long[] shape) {
        if (count != Values.numel(shape)) {
            throw new IllegalArgumentException(count + " values for shape " + Layout.shapeText(shape));
        }
    }

    private KitTensor make(String name, DType dtype, long[] shape, Layout layout, IntToLongFunction rawOf) {
        Layout.Placement place = layout.place(shape);
        int size = dtype.byteSize();
        KitHostStorage host = new KitHostStorage(place.span() * size);
        host.fillBytes(SENTINEL);
        int n = Values.numel(shape);
        long[] logical = new long[n];
        long[] canonical = new long[shape.length];
        for (int i = 0; i < n; i++) {
            long[] index = Values.unravel(i, shape);
            for (int d = 0; d < shape.length; d++) {
                canonical[d] = place.strides()[d] == 0 ? 0 : index[d];
            }
            long raw = rawOf.applyAsLong(Values.ravel(canonical, shape)) & Numbers.mask(dtype);
            logical[i] = raw;
            host.set(position(place.offset(), place.strides(), index), size, raw);
        }
        long[] before = new long[(int) place.span()];
        for (int p = 0; p < before.length; p++) {
            before[p] = host.get(p, size);
        }
        Storage storage = host;
        if (device != null) {
            storage = device.allocate(place.span() * size);
            owned.add(storage);
            device.copyFromHost(run(storage, dtype, place.span()), run(host, dtype, place.span()));
        }
        TensorView view = new TensorView(storage, dtype, place.offset(), shape.clone(), place.strides());
        return new KitTensor(name, layout, view, new Values(dtype, shape.clone(), logical), place.span(), before);
    }

    /** The storage element of a multi-index. */
    static long position(long offset, long[] strides, long[] index) {
        long at = offset;
        for (int d = 0; d < index.length; d++) {
            at += index[d] * strides[d];
        }
        return at;
    }

    private static TensorView run(Storage storage, DType dtype, long span) {
        return new TensorView(storage, dtype, 0, new long[] {span}, new long[] {1});
    }

    /** The raw contents of the whole storage of {@code t}, now, after waiting for the backend. */
    long[] readSpan(KitTensor t) {
        DType dtype = t.view.dtype();
        int size = dtype.byteSize();
        backend.synchronize();
        KitHostStorage host;
        if (device != null) {
            host = new KitHostStorage(t.span * size);
            device.copyToHost(run(host, dtype, t.span), run(t.view.storage(), dtype, t.span));
            device.synchronize();
        } else {
            host = (KitHostStorage) t.view.storage();
        }
        long[] raw = new long[(int) t.span];
        for (int p = 0; p < raw.length; p++) {
            raw[p] = host.get(p, size);
        }
        return raw;
    }

    /** The logical elements of {@code t}'s view, now. */
    Values read(KitTensor t) {
        long[] span = readSpan(t);
        TensorView v = t.view;
        int n = Values.numel(v.shape());
        long[] raw = new long[n];
        for (int i = 0; i < n; i++) {
            raw[i] = span[(int) position(v.offset(), v.strides(), Values.unravel(i, v.shape()))];
        }
        return new Values(v.dtype(), v.shape(), raw);
    }

    /**
     * Checks that the storage of {@code t} is as it was, except the elements of its view when it is
     * the output of the call.
     */
    void checkStorage(KitTensor t, boolean output, Mismatches mismatches) {
        long[] now = readSpan(t);
        boolean[] covered = new boolean[now.length];
        if (output) {
            TensorView v = t.view;
            int n = Values.numel(v.shape());
            for (int i = 0; i < n; i++) {
                covered[(int) position(v.offset(), v.strides(), Values.unravel(i, v.shape()))] = true;
            }
        }
        DType dtype = t.view.dtype();
        for (int p = 0; p < now.length; p++) {
            boolean same = device != null && dtype == DType.BOOL
                    ? Numbers.truth(dtype, now[p]) == Numbers.truth(dtype, t.before[p])
                    : now[p] == t.before[p];
            if (!covered[p] && !same) {
                mismatches.add("storage element " + p + " of " + t.describe() + (output ? ", outside the view," : "")
                        + " changed from " + Numbers.show(dtype, t.before[p]) + " to " + Numbers.show(dtype, now[p]));
            }
        }
    }

    @Override
    public void close() {
        for (Storage s : owned) {
            s.release();
        }
        owned.clear();
    }
}
