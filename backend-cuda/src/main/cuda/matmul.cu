// Batched matmul, out[..., i, j] = sum_k a[..., i, k] * b[..., k, j]: the fallback when cuBLAS is
// absent and the kernel for dtypes and layouts cuBLAS does not take (integers, odd strides). A
// 16x16 tile of out per block, 16-wide slabs of a and b staged in shared memory through their own
// strides (transposes and broadcast batch dims are just strides). Floats accumulate in double with
// fma and round once; integers in 64 bits, wrapping.
#include "common.cuh"

#define TILE 16

// The batch index (blockIdx.z plus z_base) unravelled over out's batch dims, into element offsets.
__device__ __forceinline__ void batch_offsets(const View& out, const View& a, const View& b, long long batch,
                                              long long* oo, long long* ao, long long* bo) {
    *oo = out.offset; *ao = a.offset; *bo = b.offset;
    for (int d = (int) out.rank - 3; d >= 0; d--) {
        long long size = out.shape[d];
        long long q = batch / size;
        long long idx = batch - q * size;
        *oo += idx * out.strides[d];
        *ao += idx * a.strides[d];
        *bo += idx * b.strides[d];
        batch = q;
    }
}

extern "C" __global__ void ignis_matmul(View out, int t, void* out_p, View a, const void* a_p, View b, const void* b_p,
                                        long long batch_base) {
    int r = (int) out.rank;
    long long m = out.shape[r - 2], n = out.shape[r - 1], kk = a.shape[r - 1];
    long long oo, ao, bo;
    batch_offsets(out, a, b, batch_base + blockIdx.z, &oo, &ao, &bo);
    long long row = (long long) blockIdx.y * TILE + threadIdx.y;
    long long col = (long long) blockIdx.x * TILE + threadIdx.x;
    bool floating = is_float(t);
    __shared__ double as_d[TILE][TILE], bs_d[TILE][TILE];
    __shared__ long long as_l[TILE][TILE], bs_l[TILE][TILE];
    double acc_d = 0.0;
    long long acc_l = 0;
    for (long long k0 = 0; k0 < kk; k0 += TILE) {
        long long ak = k0 + threadIdx.x, bk = k0 + threadIdx.y;
        bool a_in = row < m && ak < kk, b_in = col < n && bk < kk;
        long long a_at = ao + row * a.strides[r - 2] + ak * a.strides[r - 1];
        long long b_at = bo + bk * b.strides[r - 2] + col * b.strides[r - 1];
        if (floating) {
            as_d[threadIdx.y][threadIdx.x] = a_in ? load_d(a_p, t, a_at) : 0.0;
            bs_d[threadIdx.y][threadIdx.x] = b_in ? load_d(b_p, t, b_at) : 0.0;
        } else {
            as_l[threadIdx.y][threadIdx.x] = a_in ? load_l(a_p, t, a_at) : 0;
            bs_l[threadIdx.y][threadIdx.x] = b_in ? load_l(b_p, t, b_at) : 0;
        }
        __syncthreads();
        int steps = (int) (kk - k0 < TILE ? kk - k0 : TILE);
        if (floating) {
            for (int k = 0; k < steps; k++) {
                acc_d = fma(as_d[threadIdx.y][k], bs_d[k][threadIdx.x], acc_d);
            }
        } else {
            for (int k = 0; k < steps; k++) {
                acc_l = (long long) ((unsigned long long) acc_l
                        + (unsigned long long) as_l[threadIdx.y][k] * (unsigned long long) bs_l[k][threadIdx.x]);
            }
        }
        __syncthreads();
    }
    if (row < m && col < n) {
        long long to = oo + row * out.strides[r - 2] + col * out.strides[r - 1];
        if (floating) {
            store_d(out_p, t, to, acc_d);
        } else {
            store_l(out_p, t, to, acc_l);
        }
    }
}
