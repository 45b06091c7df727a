// gather and scatter along one dim, with int64 indices (already in range: the core checks them).
#include "common.cuh"

// out[..i..] = in[..index[..i..] on dim..]; out and index share a shape; bits move unchanged.
extern "C" __global__ void ignis_gather(View out, int t, void* out_p, View in, const void* in_p, int dim,
                                        View index, const long long* index_p, long long n) {
    GRID_STRIDE(i, n) {
        long long position[IGNIS_MAX_RANK];
        unravel(out, i, position);
        long long to = offset_at(out, position);
        position[dim] = index_p[offset_at(index, position)];
        store_bits(out_p, t, to, load_bits(in_p, t, offset_at(in, position)));
    }
}

// SET: out[..index[..i..] on dim..] = src[..i..]; index and src share a shape. Where indices repeat,
// any one source wins, as the SPI allows.
extern "C" __global__ void ignis_scatter_set(View out, int t, void* out_p, int dim, View index, const long long* index_p,
                                             View src, const void* src_p, long long n) {
    GRID_STRIDE(i, n) {
        long long position[IGNIS_MAX_RANK];
        unravel(index, i, position);
        long long from = offset_at(src, position);
        position[dim] = index_p[offset_at(index, position)];
        store_bits(out_p, t, offset_at(out, position), load_bits(src_p, t, from));
    }
}

// ADD with atomics: float32, float64, int32 and int64 accumulate in place (each float addition rounds
// to the output type; the order among repeated indices is unspecified, within the kit's sum bound).
extern "C" __global__ void ignis_scatter_add(View out, int t, void* out_p, int dim, View index, const long long* index_p,
                                             View src, int src_t, const void* src_p, long long n) {
    GRID_STRIDE(i, n) {
        long long position[IGNIS_MAX_RANK];
        unravel(index, i, position);
        long long from = offset_at(src, position);
        position[dim] = index_p[offset_at(index, position)];
        long long to = offset_at(out, position);
        switch (t) {
            case T_FLOAT32: atomicAdd(((float*) out_p) + to, (float) load_d(src_p, src_t, from)); break;
            case T_FLOAT64: atomicAdd(((double*) out_p) + to, load_d(src_p, src_t, from)); break;
            case T_INT32: atomicAdd(((int*) out_p) + to, (int) load_l(src_p, src_t, from)); break;
            default:
                atomicAdd(((unsigned long long*) out_p) + to, (unsigned long long) load_l(src_p, src_t, from));
                break;
        }
    }
}
