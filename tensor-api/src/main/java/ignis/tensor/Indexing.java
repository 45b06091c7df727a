package ignis.tensor;

import ignis.tensor.spi.ScatterMode;
import java.util.ArrayList;
import java.util.List;

/** Gathering, scattering, selecting, joining and splitting. */
final class Indexing {

    private Indexing() {
    }

    static Tensor gather(Tensor x, int dim, Tensor index) {
        return gatherChecked(x.live(), dim, index.live());
    }

    /** {@code torch.gather}, with the index's dtype, rank, sizes and values checked. */
    static Tensor gatherChecked(Tensor x, int dim, Tensor index) {
        Elementwise.commonDevice("gather", x, index);
        requireInt64(index, "gather");
        if (x.dim() == 0 || index.dim() == 0) {
            try (Tensor x1 = x.reshape(1); Tensor i1 = index.reshape(1); Tensor out = gatherChecked(x1, 0, i1)) {
                return out.reshape(index.shape.toArray());
            }
        }
        int d = Shape.normalizeDim(dim, x.dim());
        if (index.dim() != x.dim()) {
            throw new IllegalArgumentException("gather: index of shape " + index.shape + " must have the rank of the input " + x.shape);
        }
        for (int i = 0; i < x.dim(); i++) {
            if (i != d && index.shape.size(i) > x.shape.size(i)) {
                throw new IllegalArgumentException("gather: index of shape " + index.shape + " is larger than the input "
                        + x.shape + " at dimension " + i);
            }
        }
        checkRange(index, x.shape.size(d), "gather", d, x.shape);
        return gatherInRange(x, d, index);
    }

    /** gather with indices already known to be in range. */
    private static Tensor gatherInRange(Tensor x, int d, Tensor index) {
        DType compute = x.dtype.computeType();
        try (Tensor input = Transfers.cast(x, compute)) {
            Tensor out = Creation.computed(index.shape, compute, x.device(),
                    o -> x.backend().gather(o, input.kernelView(), d, index.kernelView()));
            return Transfers.castConsuming(out, x.dtype);
        }
    }

    static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        x.live();
        index.live();
        if (index.dim() > 1) {
            throw new IllegalArgumentException("indexSelect: index must have rank 0 or 1, got shape " + index.shape);
        }
        if (index.dtype != DType.INT64 && index.dtype != DType.INT32) {
            throw new IllegalArgumentException("indexSelect: index must be int64 or int32, not " + index.dtype);
        }
        Elementwise.commonDevice("indexSelect", x, index);
        if (x.dim() == 0) {
            try (Tensor x1 = x.reshape(1); Tensor out = indexSelect(x1, 0, index)) {
                return out.reshape(index.shape.toArray());
            }
        }
        int d = Shape.normalizeDim(dim, x.dim());
        long[] outDims = x.shape.toArray();
        outDims[d] = index.numel();
        long[] ones = new long[x.dim()];
        java.util.Arrays.fill(ones, 1);
        ones[d] = index.numel();
        try (Tensor longIndex = Transfers.cast(index, DType.INT64);
             Tensor column = longIndex.reshape(ones);
             Tensor expanded = column.expand(outDims)) {
            // Checked before the expansion: numel(index) values rather than the whole output's.
            checkRange(longIndex, x.shape.size(d), "indexSelect", d, x.shape);
            return gatherInRange(x, d, expanded);
        }
    }

    static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src, boolean add, boolean inPlace) {
        String op = add ? "scatterAdd" : "scatter";
        x.live();
        index.live();
        src.live();
        Elementwise.commonDevice(op, x, index, src);
        requireInt64(index, op);
        if (src.dtype != x.dtype) {
            throw new IllegalArgumentException(op + ": src dtype " + src.dtype + " must equal the tensor's dtype " + x.dtype);
        }
        if (add && x.dtype == DType.BOOL) {
            throw new IllegalArgumentException("scatterAdd is not supported for bool tensors");
        }
        if (index.dim() != x.dim() || src.dim() != x.dim()) {
            throw new IllegalArgumentException(op + ": the tensor " + x.shape + ", index " + index.shape + " and src " + src.shape
                    + " must have the same rank");
        }
        int d = x.dim() == 0 ? 0 : Shape.normalizeDim(dim, x.dim());
        for (int i = 0; i < x.dim(); i++) {
            if (index.shape.size(i) > src.shape.size(i) || i != d && index.shape.size(i) > x.shape.size(i)) {
                throw new IllegalArgumentException(op + ": index of shape " + index.shape + " is larger than src " + src.shape
                        + " or than the tensor " + x.shape + " at dimension " + i);
            }
        }
        checkRange(index, x.dim() == 0 ? 1 : x.shape.size(d), op, d, x.shape);
        if (inPlace) {
            Elementwise.requireWritable(x, op + "_");
        }
        DType compute = x.dtype.computeType();
        boolean direct = inPlace && compute == x.dtype;
        ScatterMode mode = add ? ScatterMode.ADD : ScatterMode.SET;
        try (Tensor target = direct ? Views.alias(x) : compute == x.dtype ? x.clone() : Transfers.cast(x, compute);
             Tensor values = Transfers.cast(src, compute);
             Tensor window = prefix(values, index.shape)) {
            if (index.numel() > 0) {
                if (x.dim() > 0) {
                    x.backend().scatter(mode, target.kernelView(), d, index.kernelView(), window.kernelView());
                } else {
                    try (Tensor t1 = target.reshape(1); Tensor i1 = index.reshape(1); Tensor w1 = window.reshape(1)) {
                        x.backend().scatter(mode, t1.kernelView(), 0, i1.kernelView(), w1.kernelView());
                    }
                }
            }
            if (direct) {
                x.storage.bumpVersion();
                return x;
            }
            return inPlace ? Transfers.copyInto(x, target) : Transfers.cast(target, x.dtype);
        }
    }

    /** The leading {@code shape} block of t: a view. */
    private static Tensor prefix(Tensor t, Shape shape) {
        if (t.shape.equals(shape)) {
            return Views.alias(t);
        }
        long[] strides = t.strides.clone();
        return Views.make(t, shape.toArray(), strides, t.offset);
    }

    static Tensor maskedSelect(Tensor x, Tensor mask) {
        x.live();
        mask.live();
        if (mask.dtype != DType.BOOL) {
            throw new IllegalArgumentException("maskedSelect: the mask must be a bool tensor, not " + mask.dtype);
        }
        Elementwise.commonDevice("maskedSelect", x, mask);
        Shape shape = Shape.broadcast(x.shape, mask.shape);
        boolean[] selected;
        try (Tensor m = mask.expand(shape.toArray())) {
            selected = m.toBooleanArray();
        }
        long count = 0;
        for (boolean s : selected) {
            count += s ? 1 : 0;
        }
        long[] positions = new long[Math.toIntExact(count)];
        for (int i = 0, j = 0; i < selected.length; i++) {
            if (selected[i]) {
                positions[j++] = i;
            }
        }
        try (Tensor expanded = x.expand(shape.toArray());
             Tensor flat = expanded.reshape(-1);
             Tensor hostIndex = Transfers.fromArray(positions, DType.INT64, Shape.of(positions.length));
             Tensor index = hostIndex.to(x.device())) {
            return indexSelect(flat, 0, index);
        }
    }

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        }
        Tensor first = tensors.getFirst().live();
        if (first.dim() == 0) {
            throw new IllegalArgumentException("cat: zero-dimensional tensors cannot be concatenated; use stack");
        }
        int d = Shape.normalizeDim(dim, first.dim());
        Device device = Elementwise.commonDevice("cat", tensors.toArray());
        DType dtype = TypePromotion.resultType(tensors.toArray());
        long[] dims = first.shape.toArray();
        long total = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i).live();
            if (t.dim() != first.dim()) {
                throw new IllegalArgumentException("cat: tensor " + i + " has rank " + t.dim() + " (shape " + t.shape
                        + "), expected rank " + first.dim() + " like tensor 0 " + first.shape);
            }
            for (int k = 0; k < dims.length; k++) {
                if (k != d && t.shape.size(k) != dims[k]) {
                    throw new IllegalArgumentException("cat: sizes of tensors must match except in dimension " + d
                            + ": tensor 0 has shape " + first.shape + ", tensor " + i + " has shape " + t.shape);
                }
            }
            total += t.shape.size(d);
        }
        dims[d] = total;
        Tensor out = Creation.empty(Shape.of(dims), dtype, device);
        long at = 0;
        for (Tensor t : tensors) {
            long size = t.shape.size(d);
            if (size > 0) {
                try (Tensor part = out.narrow(d, at, size)) {
                    Transfers.copyInto(part, t);
                }
            }
            at += size;
        }
        return out;
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        }
        Shape shape = tensors.getFirst().live().shape;
        int rank = shape.rank();
        int d = dim < 0 ? dim + rank + 1 : dim;
        if (d < 0 || d > rank) {
            throw new IndexOutOfBoundsException("stack: dimension " + dim + " is out of range for tensors of rank " + rank);
        }
        List<Tensor> unsqueezed = new ArrayList<>();
        try {
            for (int i = 0; i < tensors.size(); i++) {
                Tensor t = tensors.get(i).live();
                if (!t.shape.equals(shape)) {
                    throw new IllegalArgumentException("stack expects tensors of equal shape, but tensor 0 has shape " + shape
                            + " and tensor " + i + " has shape " + t.shape);
                }
                unsqueezed.add(t.unsqueeze(d));
            }
            return Tensors.cat(unsqueezed, d);
        } finally {
            unsqueezed.forEach(Tensor::close);
        }
    }

    static List<Tensor> split(Tensor x, long splitSize, int dim) {
        int d = splittableDim(x, dim);
        long size = x.shape.size(d);
        if (splitSize < 0 || splitSize == 0 && size > 0) {
            throw new IllegalArgumentException("split: split size must be positive, got " + splitSize + " for dimension of size " + size);
        }
        List<Tensor> parts = new ArrayList<>();
        if (size == 0) {
            parts.add(Views.alias(x));
            return parts;
        }
        for (long start = 0; start < size; start += splitSize) {
            parts.add(x.narrow(d, start, Math.min(splitSize, size - start)));
        }
        return parts;
    }

    static List<Tensor> split(Tensor x, long[] sizes, int dim) {
        int d = splittableDim(x, dim);
        long total = 0;
        for (long s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split: sizes must not be negative: " + java.util.Arrays.toString(sizes));
            }
            total += s;
        }
        if (total != x.shape.size(d)) {
            throw new IllegalArgumentException("split: sizes " + java.util.Arrays.toString(sizes) + " add up to " + total
                    + ", not to the size " + x.shape.size(d) + " of dimension " + d);
        }
        List<Tensor> parts = new ArrayList<>();
        long start = 0;
        for (long s : sizes) {
            parts.add(x.narrow(d, start, s));
            start += s;
        }
        return parts;
    }

    static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: the number of chunks must be positive, got " + chunks);
        }
        int d = splittableDim(x, dim);
        long size = x.shape.size(d);
        return split(x, Math.max(1, (size + chunks - 1) / chunks), d);
    }

    private static int splittableDim(Tensor x, int dim) {
        x.live();
        if (x.dim() == 0) {
            throw new IllegalArgumentException("cannot split a scalar (rank-0) tensor");
        }
        return Shape.normalizeDim(dim, x.dim());
    }

    private static void requireInt64(Tensor index, String op) {
        if (index.dtype != DType.INT64) {
            throw new IllegalArgumentException(op + ": index must be an int64 tensor, not " + index.dtype);
        }
    }

    /** Fails, naming the offending index, when any index lies outside [0, size). */
    private static void checkRange(Tensor index, long size, String op, int dim, Shape shape) {
        if (index.numel() == 0) {
            return;
        }
        long min;
        long max;
        try (Tensor lo = index.min(); Tensor hi = index.max()) {
            min = lo.itemLong();
            max = hi.itemLong();
        }
        if (min < 0 || max >= size) {
            throw new IndexOutOfBoundsException(op + ": index " + (min < 0 ? min : max) + " is out of bounds for dimension "
                    + dim + " with size " + size + " (shape " + shape + ")");
        }
    }
}
