// Shared by every Ignis kernel: the view of a tensor, the dtype codes, and element loads and stores
// with the conversions of ignis.backend.reference.HostTensor (PyTorch's tensor.to(dtype)).
#pragma once
#ifndef IGNIS_CPU_EMULATION
#include <cuda_fp16.h>
#endif
#include <stdint.h>

#define IGNIS_MAX_RANK 8

// The dtype codes are the ordinals of ignis.tensor.DType.
#define T_BOOL 0
#define T_INT32 1
#define T_INT64 2
#define T_FLOAT16 3
#define T_BFLOAT16 4
#define T_FLOAT32 5
#define T_FLOAT64 6

// A strided view, packed by the Java side (ViewArg): all fields 64-bit, so no padding. Element
// offsets count elements of the view's dtype from the storage's base address.
struct View {
    long long offset;
    long long rank;
    long long shape[IGNIS_MAX_RANK];
    long long strides[IGNIS_MAX_RANK];
};

// Error codes written to the error word (integer division by zero, negative integer powers).
#define ERR_DIV_ZERO 1
#define ERR_NEG_POW 2

__device__ __forceinline__ bool is_float(int t) { return t >= T_FLOAT16; }

// The element offset of the row-major position i of shape (which may be another view's shape).
__device__ __forceinline__ long long offset_of(const View& v, const View& shape, long long i) {
    long long at = v.offset;
    for (int d = (int) shape.rank - 1; d >= 0; d--) {
        long long size = shape.shape[d];
        long long q = i / size;
        at += (i - q * size) * v.strides[d];
        i = q;
    }
    return at;
}

// Unravels i over shape into an index array.
__device__ __forceinline__ void unravel(const View& shape, long long i, long long* index) {
    for (int d = (int) shape.rank - 1; d >= 0; d--) {
        long long size = shape.shape[d];
        long long q = i / size;
        index[d] = i - q * size;
        i = q;
    }
}

__device__ __forceinline__ long long offset_at(const View& v, const long long* index) {
    long long at = v.offset;
    for (int d = 0; d < (int) v.rank; d++) {
        at += index[d] * v.strides[d];
    }
    return at;
}

__device__ __forceinline__ float bf16_to_float(unsigned short bits) {
    return __uint_as_float(((unsigned int) bits) << 16);
}

// Round to nearest even; NaN stays a quiet NaN with its sign (ElementMath.floatToBfloat16).
__device__ __forceinline__ unsigned short float_to_bf16(float value) {
    unsigned int bits = __float_as_uint(value);
    if (isnan(value)) {
        return (unsigned short) ((bits >> 16) | 0x0040);
    }
    unsigned int lowest_kept = (bits >> 16) & 1;
    return (unsigned short) ((bits + 0x7FFF + lowest_kept) >> 16);
}

// Raw bits, zero-extended.
__device__ __forceinline__ unsigned long long load_bits(const void* base, int t, long long i) {
    switch (t) {
        case T_BOOL: return ((const unsigned char*) base)[i];
        case T_FLOAT16:
        case T_BFLOAT16: return ((const unsigned short*) base)[i];
        case T_INT32:
        case T_FLOAT32: return ((const unsigned int*) base)[i];
        default: return ((const unsigned long long*) base)[i];
    }
}

__device__ __forceinline__ void store_bits(void* base, int t, long long i, unsigned long long bits) {
    switch (t) {
        case T_BOOL: ((unsigned char*) base)[i] = (unsigned char) bits; break;
        case T_FLOAT16:
        case T_BFLOAT16: ((unsigned short*) base)[i] = (unsigned short) bits; break;
        case T_INT32:
        case T_FLOAT32: ((unsigned int*) base)[i] = (unsigned int) bits; break;
        default: ((unsigned long long*) base)[i] = bits; break;
    }
}

// Exact for every dtype but int64 beyond 2^53.
__device__ __forceinline__ double load_d(const void* base, int t, long long i) {
    switch (t) {
        case T_BOOL: return ((const unsigned char*) base)[i] != 0 ? 1.0 : 0.0;
        case T_INT32: return (double) ((const int*) base)[i];
        case T_INT64: return (double) ((const long long*) base)[i];
        case T_FLOAT16: return (double) __half2float(((const __half*) base)[i]);
        case T_BFLOAT16: return (double) bf16_to_float(((const unsigned short*) base)[i]);
        case T_FLOAT32: return (double) ((const float*) base)[i];
        default: return ((const double*) base)[i];
    }
}

// Java's saturating casts: NaN to 0, out of range to the bounds.
__device__ __forceinline__ long long d2ll(double x) {
    if (isnan(x)) return 0;
    if (x >= 9223372036854775807.0) return 9223372036854775807LL;
    if (x <= -9223372036854775808.0) return (-9223372036854775807LL - 1);
    return (long long) x;
}

__device__ __forceinline__ int d2i(double x) {
    if (isnan(x)) return 0;
    if (x >= 2147483647.0) return 2147483647;
    if (x <= -2147483648.0) return (-2147483647 - 1);
    return (int) x;
}

// Integers and bool exactly; floats truncate toward zero.
__device__ __forceinline__ long long load_l(const void* base, int t, long long i) {
    switch (t) {
        case T_BOOL: return ((const unsigned char*) base)[i] != 0 ? 1 : 0;
        case T_INT32: return ((const int*) base)[i];
        case T_INT64: return ((const long long*) base)[i];
        default: return d2ll(load_d(base, t, i));
    }
}

__device__ __forceinline__ bool load_b(const void* base, int t, long long i) {
    if (is_float(t)) {
        return load_d(base, t, i) != 0.0;  // NaN is true
    }
    return load_l(base, t, i) != 0;
}

__device__ __forceinline__ void store_d(void* base, int t, long long i, double v) {
    switch (t) {
        case T_BOOL: ((unsigned char*) base)[i] = v != 0.0 ? 1 : 0; break;
        case T_INT32: ((int*) base)[i] = d2i(v); break;
        case T_INT64: ((long long*) base)[i] = d2ll(v); break;
        // Through float first, as the host does (c10::Half and c10::BFloat16 are built from a float).
        case T_FLOAT16: ((__half*) base)[i] = __float2half_rn(__double2float_rn(v)); break;
        case T_BFLOAT16: ((unsigned short*) base)[i] = float_to_bf16(__double2float_rn(v)); break;
        case T_FLOAT32: ((float*) base)[i] = __double2float_rn(v); break;
        default: ((double*) base)[i] = v; break;
    }
}

// x rounded to dtype t and back, as a store_d then a load_d: what an op's result is once written.
__device__ __forceinline__ double round_d(int t, double x) {
    switch (t) {
        case T_FLOAT16: return (double) __half2float(__float2half_rn(__double2float_rn(x)));
        case T_BFLOAT16: return (double) bf16_to_float(float_to_bf16(__double2float_rn(x)));
        case T_FLOAT32: return (double) __double2float_rn(x);
        default: return x;
    }
}

__device__ __forceinline__ void store_l(void* base, int t, long long i, long long v) {
    switch (t) {
        case T_BOOL: ((unsigned char*) base)[i] = v != 0 ? 1 : 0; break;
        case T_INT32: ((int*) base)[i] = (int) v; break;  // wraps
        case T_INT64: ((long long*) base)[i] = v; break;
        case T_FLOAT16: ((__half*) base)[i] = __float2half_rn(__ll2float_rn(v)); break;
        case T_BFLOAT16: ((unsigned short*) base)[i] = float_to_bf16(__ll2float_rn(v)); break;
        case T_FLOAT32: ((float*) base)[i] = __ll2float_rn(v); break;  // rounded once from 64 bits
        default: ((double*) base)[i] = __ll2double_rn(v); break;
    }
}

#define GRID_STRIDE(i, n) \
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (n); \
         i += (long long) blockDim.x * gridDim.x)

// Java's Math.max and Math.min: NaN if either is NaN; +0.0 is larger than -0.0.
__device__ __forceinline__ double jmax(double x, double y) {
    if (isnan(x) || isnan(y)) return nan("");
    if (x == 0.0 && y == 0.0) return signbit(x) ? y : x;
    return x > y ? x : y;
}

__device__ __forceinline__ double jmin(double x, double y) {
    if (isnan(x) || isnan(y)) return nan("");
    if (x == 0.0 && y == 0.0) return signbit(x) ? x : y;
    return x < y ? x : y;
}
