package ignis.tensor;

import java.util.Arrays;

/** Views: new shapes, strides and offsets over the same memory. Nothing here copies elements except {@link #reshape} and {@link #flatten} when they must. */
final class Views {

    private Views() {
    }

    static long[] contiguousStrides(long[] dims) {
        long[] strides = new long[dims.length];
        long stride = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= Math.max(dims[d], 1);
        }
        return strides;
    }

    /** Dense in row-major order; an empty tensor always is, as in PyTorch. */
    static boolean isContiguous(long[] dims, long[] strides) {
        for (long size : dims) {
            if (size == 0) {
                return true;
            }
        }
        long expected = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            if (dims[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= dims[d];
        }
        return true;
    }

    static Tensor make(Tensor base, long[] dims, long[] strides, long offset) {
        return new Tensor(base.storage, Shape.of(dims), strides, offset, base.dtype);
    }

    static Tensor alias(Tensor t) {
        return new Tensor(t.storage, t.shape, t.strides, t.offset, t.dtype);
    }

    /** Resolves one -1 among the sizes so that the element count is {@code numel}. */
    static long[] inferSizes(long[] sizes, long numel, Shape from) {
        long[] out = sizes.clone();
        int inferred = -1;
        long known = 1;
        for (int d = 0; d < out.length; d++) {
            if (out[d] == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("shape " + Arrays.toString(sizes) + ": only one size can be -1");
                }
                inferred = d;
            } else if (out[d] < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(sizes) + " has a negative size " + out[d]);
            } else {
                known *= out[d];
            }
        }
        if (inferred >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(sizes) + " is invalid for a tensor of "
                        + numel + " elements (shape " + from + ")");
            }
            out[inferred] = numel / known;
        } else if (known != numel) {
            throw new IllegalArgumentException("shape " + Arrays.toString(sizes) + " is invalid for a tensor of "
                    + numel + " elements (shape " + from + ")");
        }
        return out;
    }

    /**
     * The strides that let {@code newDims} view memory laid out as {@code oldDims}/{@code oldStrides},
     * or null when no strides can (PyTorch's computeStride): dimensions may only be split or merged
     * within runs that are contiguous with each other.
     */
    static long[] viewStrides(long[] oldDims, long[] oldStrides, long[] newDims) {
        long[] newStrides = new long[newDims.length];
        if (oldDims.length == 0) {
            Arrays.fill(newStrides, 1);
            return newStrides;
        }
        long numel = 1;
        for (long d : oldDims) {
            numel *= d;
        }
        if (numel == 0) {
            return contiguousStrides(newDims);
        }
        int viewD = newDims.length - 1;
        long chunkBaseStride = oldStrides[oldStrides.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int tensorD = oldDims.length - 1; tensorD >= 0; tensorD--) {
            tensorNumel *= oldDims[tensorD];
            if (tensorD == 0 || oldDims[tensorD - 1] != 1 && oldStrides[tensorD - 1] != tensorNumel * chunkBaseStride) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newDims[viewD] == 1)) {
                    newStrides[viewD] = viewNumel * chunkBaseStride;
                    viewNumel *= newDims[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (tensorD > 0) {
                    chunkBaseStride = oldStrides[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    static Tensor view(Tensor t, long[] sizes) {
        long[] dims = inferSizes(sizes, t.numel(), t.shape);
        long[] strides = viewStrides(t.shape.dims(), t.strides, dims);
        if (strides == null) {
            throw new IllegalArgumentException("view " + Arrays.toString(sizes) + " is not compatible with the strides "
                    + Arrays.toString(t.strides) + " of a tensor of shape " + t.shape
                    + " (it spans non-contiguous memory): use reshape(...) instead");
        }
        return make(t, dims, strides, t.offset);
    }

    static Tensor reshape(Tensor t, long[] sizes) {
        long[] dims = inferSizes(sizes, t.numel(), t.shape);
        long[] strides = viewStrides(t.shape.dims(), t.strides, dims);
        if (strides != null) {
            return make(t, dims, strides, t.offset);
        }
        try (Tensor dense = t.clone()) {
            return make(dense, dims, contiguousStrides(dims), 0);
        }
    }

    static Tensor transpose(Tensor t, int dim0, int dim1) {
        int rank = t.dim();
        int a = Shape.normalizeDim(dim0, rank);
        int b = Shape.normalizeDim(dim1, rank);
        if (rank == 0) {
            return alias(t);
        }
        long[] dims = t.shape.toArray();
        long[] strides = t.strides.clone();
        swap(dims, a, b);
        swap(strides, a, b);
        return make(t, dims, strides, t.offset);
    }

    static Tensor permute(Tensor t, int[] order) {
        int rank = t.dim();
        if (order.length != rank) {
            throw new IllegalArgumentException("permute " + Arrays.toString(order) + " needs " + rank
                    + " dims for a tensor of shape " + t.shape);
        }
        long[] dims = new long[rank];
        long[] strides = new long[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int d = Shape.normalizeDim(order[i], rank);
            if (seen[d]) {
                throw new IllegalArgumentException("permute " + Arrays.toString(order) + " repeats dimension " + d);
            }
            seen[d] = true;
            dims[i] = t.shape.size(d);
            strides[i] = t.strides[d];
        }
        return make(t, dims, strides, t.offset);
    }

    /** Python slicing of one dimension: start and end wrap when negative and are clamped to the size. */
    static Tensor slice(Tensor t, int dim, long start, long end, long step) {
        int d = sliceableDim(t, dim);
        if (step <= 0) {
            throw new IllegalArgumentException("slice step must be positive, got " + step);
        }
        long size = t.shape.size(d);
        long begin = clampIndex(start, size);
        long stop = Math.max(begin, clampIndex(end, size));
        return sliced(t, d, begin, (stop - begin + step - 1) / step, step);
    }

    /** {@code length} elements from {@code start} (which wraps once when negative); both must lie within the dimension. */
    static Tensor narrow(Tensor t, int dim, long start, long length) {
        int d = sliceableDim(t, dim);
        long size = t.shape.size(d);
        long begin = start < 0 ? start + size : start;
        if (begin < 0 || length < 0 || begin + length > size) {
            throw new IndexOutOfBoundsException("narrow(dim " + dim + ", start " + start + ", length " + length
                    + ") is out of range for dimension " + d + " of size " + size + " (shape " + t.shape + ")");
        }
        return sliced(t, d, begin, length, 1);
    }

    private static int sliceableDim(Tensor t, int dim) {
        if (t.dim() == 0) {
            throw new IllegalArgumentException("cannot slice a scalar (rank-0) tensor");
        }
        return Shape.normalizeDim(dim, t.dim());
    }

    private static Tensor sliced(Tensor t, int d, long start, long length, long step) {
        long[] dims = t.shape.toArray();
        long[] strides = t.strides.clone();
        dims[d] = length;
        strides[d] = t.strides[d] * step;
        return make(t, dims, strides, t.offset + (length == 0 ? 0 : start * t.strides[d]));
    }

    private static long clampIndex(long index, long size) {
        long wrapped = index < 0 ? index + size : index;
        return Math.min(Math.max(wrapped, 0), size);
    }

    static Tensor select(Tensor t, int dim, long index) {
        if (t.dim() == 0) {
            throw new IllegalArgumentException("select() cannot be applied to a scalar (rank-0) tensor");
        }
        int d = Shape.normalizeDim(dim, t.dim());
        long size = t.shape.size(d);
        long i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for dimension " + d
                    + " of size " + size + " (shape " + t.shape + ")");
        }
        return make(t, remove(t.shape.dims(), d), remove(t.strides, d), t.offset + i * t.strides[d]);
    }

    static Tensor expand(Tensor t, long[] sizes) {
        int rank = t.dim();
        if (sizes.length < rank) {
            throw new IllegalArgumentException("expand " + Arrays.toString(sizes) + ": the number of sizes must be at least the rank of "
                    + t.shape);
        }
        long[] dims = new long[sizes.length];
        long[] strides = new long[sizes.length];
        int lead = sizes.length - rank;
        for (int i = 0; i < sizes.length; i++) {
            if (i < lead) {
                if (sizes[i] < 0) {
                    throw new IllegalArgumentException("expand " + Arrays.toString(sizes) + ": a new leading dimension cannot be " + sizes[i]);
                }
                dims[i] = sizes[i];
                strides[i] = 0;
                continue;
            }
            long old = t.shape.size(i - lead);
            long target = sizes[i] == -1 ? old : sizes[i];
            if (target == old) {
                dims[i] = old;
                strides[i] = t.strides[i - lead];
            } else if (old == 1 && target >= 0) {
                dims[i] = target;
                strides[i] = 0;
            } else {
                throw new IllegalArgumentException("expand: the size " + target + " must match the existing size " + old
                        + " at non-singleton dimension " + i + ". Target sizes: " + Arrays.toString(sizes)
                        + ". Tensor sizes: " + t.shape);
            }
        }
        return make(t, dims, strides, t.offset);
    }

    /** Removes size-1 dimensions: all of them when {@code dim} is null. */
    static Tensor squeeze(Tensor t, Integer dim) {
        if (dim != null) {
            int d = Shape.normalizeDim(dim, t.dim());
            if (t.dim() == 0 || t.shape.size(d) != 1) {
                return alias(t);
            }
            return make(t, remove(t.shape.dims(), d), remove(t.strides, d), t.offset);
        }
        long[] dims = t.shape.dims();
        int kept = 0;
        for (long size : dims) {
            kept += size == 1 ? 0 : 1;
        }
        long[] newDims = new long[kept];
        long[] newStrides = new long[kept];
        for (int d = 0, j = 0; d < dims.length; d++) {
            if (dims[d] != 1) {
                newDims[j] = dims[d];
                newStrides[j++] = t.strides[d];
            }
        }
        return make(t, newDims, newStrides, t.offset);
    }

    static Tensor unsqueeze(Tensor t, int dim) {
        int rank = t.dim();
        int d = dim < 0 ? dim + rank + 1 : dim;
        if (d < 0 || d > rank) {
            throw new IndexOutOfBoundsException("unsqueeze dimension " + dim + " is out of range for a tensor of rank " + rank
                    + " (expected " + -(rank + 1) + " to " + rank + ")");
        }
        long stride = d < rank ? t.strides[d] * t.shape.size(d) : 1;
        return make(t, insert(t.shape.dims(), d, 1), insert(t.strides, d, stride), t.offset);
    }

    static Tensor flatten(Tensor t, int startDim, int endDim) {
        int rank = t.dim();
        if (rank == 0) {
            return t.reshape(1);
        }
        int start = Shape.normalizeDim(startDim, rank);
        int end = Shape.normalizeDim(endDim, rank);
        if (start > end) {
            throw new IllegalArgumentException("flatten: start dimension " + startDim + " comes after end dimension " + endDim);
        }
        long[] dims = t.shape.dims();
        long merged = 1;
        for (int d = start; d <= end; d++) {
            merged *= dims[d];
        }
        long[] newDims = new long[rank - (end - start)];
        for (int d = 0, j = 0; d < rank; d++) {
            if (d < start || d > end) {
                newDims[j++] = dims[d];
            } else if (d == start) {
                newDims[j++] = merged;
            }
        }
        return reshape(t, newDims);
    }

    static long[] remove(long[] values, int index) {
        long[] out = new long[values.length - 1];
        System.arraycopy(values, 0, out, 0, index);
        System.arraycopy(values, index + 1, out, index, values.length - index - 1);
        return out;
    }

    static long[] insert(long[] values, int index, long value) {
        long[] out = new long[values.length + 1];
        System.arraycopy(values, 0, out, 0, index);
        out[index] = value;
        System.arraycopy(values, index, out, index + 1, values.length - index);
        return out;
    }

    private static void swap(long[] values, int a, int b) {
        long tmp = values[a];
        values[a] = values[b];
        values[b] = tmp;
    }
}
