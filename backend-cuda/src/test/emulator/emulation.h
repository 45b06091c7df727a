// Runs the CUDA kernels of src/main/cuda on the CPU, for tests on machines without a GPU: the CUDA
// keywords and intrinsics the kernels use, defined for a host compiler. Blocks run one after
// another; a block's threads run one after another too, except for the kernels that synchronize
// (__syncthreads), whose threads run as real threads meeting at one barrier. __shared__ arrays become
// function statics, which one block at a time may share.
#pragma once
#define IGNIS_CPU_EMULATION 1
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <math.h>

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static

struct dim3 {
    unsigned int x = 1, y = 1, z = 1;
};
extern thread_local dim3 blockIdx, threadIdx;
extern dim3 blockDim, gridDim;
extern std::barrier<>* block_barrier;

inline void __syncthreads() {
    block_barrier->arrive_and_wait();
}

using std::isnan;
using std::isinf;
using std::signbit;

template <class T> inline T min(T a, T b) { return a < b ? a : b; }
template <class T> inline T max(T a, T b) { return a > b ? a : b; }

inline float __uint_as_float(unsigned int bits) { float f; std::memcpy(&f, &bits, 4); return f; }
inline unsigned int __float_as_uint(float f) { unsigned int bits; std::memcpy(&bits, &f, 4); return bits; }
inline float __double2float_rn(double x) { return (float) x; }
inline float __ll2float_rn(long long x) { return (float) x; }
inline double __ll2double_rn(long long x) { return (double) x; }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __ddiv_rn(double a, double b) { return a / b; }
inline unsigned long long __umul64hi(unsigned long long a, unsigned long long b) {
    return (unsigned long long) (((unsigned __int128) a * b) >> 64);
}

// Atomics: only kernels whose threads run one after another use them.
inline float atomicAdd(float* at, float v) { float old = *at; *at = old + v; return old; }
inline double atomicAdd(double* at, double v) { double old = *at; *at = old + v; return old; }
inline int atomicAdd(int* at, int v) { int old = *at; *at = (int) ((unsigned int) old + (unsigned int) v); return old; }
inline unsigned long long atomicAdd(unsigned long long* at, unsigned long long v) { unsigned long long old = *at; *at = old + v; return old; }
inline int atomicExch(int* at, int v) { int old = *at; *at = v; return old; }

// IEEE binary16, round to nearest even, as __float2half_rn.
struct __half {
    unsigned short bits;
};

inline float __half2float(__half h) {
    unsigned int sign = (h.bits & 0x8000u) << 16, exponent = (h.bits >> 10) & 0x1F, mantissa = h.bits & 0x3FF;
    if (exponent == 0x1F) {
        return __uint_as_float(sign | 0x7F800000u | (mantissa << 13));
    }
    if (exponent == 0) {
        float value = std::ldexp((float) mantissa, -24);
        return sign ? -value : value;
    }
    return __uint_as_float(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

inline __half __float2half_rn(float f) {
    unsigned int x = __float_as_uint(f);
    unsigned short sign = (unsigned short) ((x >> 16) & 0x8000);
    unsigned int abs = x & 0x7FFFFFFFu;
    __half h;
    if (abs > 0x7F800000u) { h.bits = sign | 0x7E00 | ((abs >> 13) & 0x3FF); return h; }  // NaN, quiet
    if (abs >= 0x477FF000u) { h.bits = sign | 0x7C00; return h; }                        // rounds to infinity
    if (abs < 0x38800000u) {                                                              // subnormal or zero
        float a = __uint_as_float(abs);
        float scaled = a * 16777216.0f;  // exact: times 2^24
        h.bits = sign | (unsigned short) std::nearbyint(scaled);
        return h;
    }
    unsigned int rounded = abs + 0xFFF + ((abs >> 13) & 1);
    h.bits = sign | (unsigned short) ((rounded - 0x38000000u) >> 13);
    return h;
}
