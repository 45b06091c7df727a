// Reductions over axes (ignis.tensor.spi.ReduceOp). One block per output element: each thread folds
// a strided share of the reduced block, then the block combines the partial results in shared
// memory. Floats fold in double and round once; integers and bool fold in 64 bits, wrapping.
#include "common.cuh"

enum { R_SUM, R_PROD, R_MAX, R_MIN, R_ARGMAX, R_ARGMIN };

#define REDUCE_THREADS 256

// The input offset of element j of the reduced block under output element o. `block` has the
// input's sizes on the reduced axes and 1 elsewhere; out has 1 on them.
__device__ __forceinline__ long long input_offset(const View& in, const View& out, const View& block,
                                                  long long o, long long j) {
    long long at = in.offset;
    for (int d = (int) in.rank - 1; d >= 0; d--) {
        long long os = out.shape[d], bs = block.shape[d];
        long long oq = o / os, bq = j / bs;
        at += ((o - oq * os) + (j - bq * bs)) * in.strides[d];
        o = oq;
        j = bq;
    }
    return at;
}

__device__ __forceinline__ double fold_d(int op, double acc, double x) {
    switch (op) {
        case R_SUM: return acc + x;
        case R_PROD: return acc * x;
        case R_MAX: return jmax(acc, x);
        default: return jmin(acc, x);
    }
}

__device__ __forceinline__ long long fold_l(int op, long long acc, long long x) {
    switch (op) {
        case R_SUM: return (long long) ((unsigned long long) acc + (unsigned long long) x);
        case R_PROD: return (long long) ((unsigned long long) acc * (unsigned long long) x);
        case R_MAX: return acc > x ? acc : x;
        default: return acc < x ? acc : x;
    }
}

// Folds elements [from, to) of output o's reduced block across the thread block, in a fixed order; the
// result is in partial_*[0] for thread 0. Every thread of the block must call it.
__device__ void fold_block(int op, bool floating, const View& out, const View& in, int in_t, const void* in_p,
                           const View& block, long long o, long long from, long long to,
                           double* partial_d, long long* partial_l) {
    double acc_d = op == R_SUM ? 0.0 : op == R_PROD ? 1.0 : op == R_MAX ? -INFINITY : INFINITY;
    long long acc_l = op == R_SUM ? 0 : op == R_PROD ? 1
            : op == R_MAX ? (-9223372036854775807LL - 1) : 9223372036854775807LL;
    for (long long j = from + threadIdx.x; j < to; j += blockDim.x) {
        long long at = input_offset(in, out, block, o, j);
        if (floating) {
            acc_d = fold_d(op, acc_d, load_d(in_p, in_t, at));
        } else {
            acc_l = fold_l(op, acc_l, load_l(in_p, in_t, at));
        }
    }
    partial_d[threadIdx.x] = acc_d;
    partial_l[threadIdx.x] = acc_l;
    __syncthreads();
    for (int half = blockDim.x / 2; half > 0; half >>= 1) {
        if (threadIdx.x < half) {
            if (floating) {
                partial_d[threadIdx.x] = fold_d(op, partial_d[threadIdx.x], partial_d[threadIdx.x + half]);
            } else {
                partial_l[threadIdx.x] = fold_l(op, partial_l[threadIdx.x], partial_l[threadIdx.x + half]);
            }
        }
        __syncthreads();
    }
}

extern "C" __global__ void ignis_reduce(int op, View out, int out_t, void* out_p, View in, int in_t, const void* in_p,
                                        View block, long long outputs, long long block_size) {
    __shared__ double partial_d[REDUCE_THREADS];
    __shared__ long long partial_l[REDUCE_THREADS];
    bool floating = is_float(in_t);
    for (long long o = blockIdx.x; o < outputs; o += gridDim.x) {
        fold_block(op, floating, out, in, in_t, in_p, block, o, 0, block_size, partial_d, partial_l);
        if (threadIdx.x == 0) {
            long long to = offset_of(out, out, o);
            if (floating) {
                store_d(out_p, out_t, to, partial_d[0]);
            } else {
                store_l(out_p, out_t, to, partial_l[0]);
            }
        }
        __syncthreads();
    }
}

// The first pass of a reduction with few outputs and large blocks: each output's block is cut into
// `parts` runs of `part_size`, and thread block q folds run q % parts of output q / parts into
// parts_p[q] (double for floats, int64 otherwise), which ignis_reduce then folds in order.
extern "C" __global__ void ignis_reduce_parts(int op, View out, void* parts_p, View in, int in_t, const void* in_p,
                                              View block, long long outputs, long long block_size,
                                              long long parts, long long part_size) {
    __shared__ double partial_d[REDUCE_THREADS];
    __shared__ long long partial_l[REDUCE_THREADS];
    bool floating = is_float(in_t);
    for (long long q = blockIdx.x; q < outputs * parts; q += gridDim.x) {
        long long from = (q % parts) * part_size;
        long long to = from + part_size < block_size ? from + part_size : block_size;
        fold_block(op, floating, out, in, in_t, in_p, block, q / parts, from, to, partial_d, partial_l);
        if (threadIdx.x == 0) {
            if (floating) {
                ((double*) parts_p)[q] = partial_d[0];
            } else {
                ((long long*) parts_p)[q] = partial_l[0];
            }
        }
        __syncthreads();
    }
}

// ARGMAX and ARGMIN over one axis into int64: the first extreme, the first NaN counting as the extreme.
// One thread per output element; out's index is 0 on the axis, so it locates element 0 of the line.
extern "C" __global__ void ignis_arg_extreme(int is_max, View out, void* out_p, View in, int in_t, const void* in_p,
                                             long long length, long long stride, long long outputs) {
    GRID_STRIDE(o, outputs) {
        long long first = offset_of(in, out, o);
        long long best = 0;
        if (is_float(in_t)) {
            double best_value = load_d(in_p, in_t, first);
            for (long long k = 1; k < length && !isnan(best_value); k++) {
                double value = load_d(in_p, in_t, first + k * stride);
                if (isnan(value) || (is_max ? value > best_value : value < best_value)) {
                    best = k;
                    best_value = value;
                }
            }
        } else {
            long long best_value = load_l(in_p, in_t, first);
            for (long long k = 1; k < length; k++) {
                long long value = load_l(in_p, in_t, first + k * stride);
                if (is_max ? value > best_value : value < best_value) {
                    best = k;
                    best_value = value;
                }
            }
        }
        ((long long*) out_p)[offset_of(out, out, o)] = best;
    }
}
