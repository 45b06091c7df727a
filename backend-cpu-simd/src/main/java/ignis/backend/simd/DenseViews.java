package ignis.backend.simd;

import static ignis.backend.simd.Elements.INT;
import static ignis.backend.simd.Elements.LONG;

import ignis.tensor.spi.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Row-major (dense) memory for the kernels that need it, such as the convolutions: a dense view's own
 * memory, or else a copy of its elements; and for an output view that is not dense, a dense buffer
 * that {@link Out#finish()} writes back through the view's strides. Copies are made from an automatic
 * arena, so only strided operands cost an allocation.
 */
final class DenseViews {

    private DenseViews() {
    }

    /** Row-major elements of a view: {@code segment} from element {@code offset} on. */
    record In(MemorySegment segment, long offset) {
    }

    /** The view's elements in row-major order: its own memory when dense, a copy otherwise. */
    static In in(TensorView view) {
        MemorySegment memory = Elements.segment(view);
        if (view.isContiguous()) {
            return new In(memory, view.offset());
        }
        MemorySegment copy = allocate(view);
        transfer(view, memory, copy, true);
        return new In(copy, 0);
    }

    /** Where a kernel writes a view's elements in row-major order. */
    record Out(TensorView view, MemorySegment segment, long offset, boolean copied) {

        /** Writes the buffer's elements into the view when the view was not dense itself. */
        void finish() {
            if (copied) {
                transfer(view, Elements.segment(view), segment, false);
            }
        }
    }

    /** The view's own memory when dense, a fresh buffer otherwise (then call {@link Out#finish()}). */
    static Out out(TensorView view) {
        if (view.isContiguous()) {
            return new Out(view, Elements.segment(view), view.offset(), false);
        }
        return new Out(view, allocate(view), 0, true);
    }

    private static MemorySegment allocate(TensorView view) {
        return Arena.ofAuto().allocate(Math.max(1, view.numel()) * view.dtype().byteSize(), 64);
    }

    /** Copies between a strided view and row-major memory, bit for bit: to the dense side when {@code toDense}. */
    private static void transfer(TensorView view, MemorySegment memory, MemorySegment dense, boolean toDense) {
        long[] shape = view.shape();
        long[] strides = view.strides();
        int rank = shape.length;
        boolean wide = view.dtype().byteSize() == 8;
        long n = view.numel();
        long inner = rank == 0 ? 1 : shape[rank - 1];
        long innerStride = rank == 0 ? 0 : strides[rank - 1];
        long[] index = new long[rank];
        long at = view.offset();
        for (long i = 0; i < n; i += inner) {
            for (long j = 0; j < inner; j++) {
                long src = at + j * innerStride;
                if (wide) {
                    if (toDense) {
                        dense.setAtIndex(LONG, i + j, memory.getAtIndex(LONG, src));
                    } else {
                        memory.setAtIndex(LONG, src, dense.getAtIndex(LONG, i + j));
                    }
                } else if (toDense) {
                    dense.setAtIndex(INT, i + j, memory.getAtIndex(INT, src));
                } else {
                    memory.setAtIndex(INT, src, dense.getAtIndex(INT, i + j));
                }
            }
            for (int d = rank - 2; d >= 0; d--) {
                at += strides[d];
                if (++index[d] < shape[d]) {
                    break;
                }
                at -= shape[d] * strides[d];
                index[d] = 0;
            }
        }
    }
}
