// The required elementwise kernels: copy, fill, random, unary, binary, ternary. The op codes are the
// ordinals of ignis.tensor.spi.UnaryOp, BinaryOp and TernaryOp; the per-element values are those of
// ignis.tensor.spi.ElementMath (floats in double, rounded once on store; integers in 64 bits).
#include "common.cuh"
#include "philox.cuh"

extern "C" __global__ void ignis_copy(View dst, int dst_t, void* dst_p, View src, int src_t, const void* src_p,
                                      long long n) {
    GRID_STRIDE(i, n) {
        long long to = offset_of(dst, dst, i);
        long long from = offset_of(src, dst, i);
        if (dst_t == src_t) {
            store_bits(dst_p, dst_t, to, load_bits(src_p, src_t, from));  // bit for bit: NaN payloads survive
        } else if (is_float(src_t)) {
            store_d(dst_p, dst_t, to, load_d(src_p, src_t, from));
        } else {
            store_l(dst_p, dst_t, to, load_l(src_p, src_t, from));
        }
    }
}

extern "C" __global__ void ignis_fill(View out, int out_t, void* out_p, unsigned long long bits, long long n) {
    GRID_STRIDE(i, n) {
        store_bits(out_p, out_t, offset_of(out, out, i), bits);
    }
}

// distribution: 0 UNIFORM, 1 NORMAL, 2 INTEGER (RandomDistribution's ordinals).
extern "C" __global__ void ignis_random(int distribution, View out, int out_t, void* out_p, double a, double b,
                                        long long low, long long high, unsigned long long seed,
                                        unsigned long long offset, long long n) {
    GRID_STRIDE(i, n) {
        unsigned long long counter = offset + (unsigned long long) i;
        long long to = offset_of(out, out, i);
        // __dadd_rn(__dmul_rn()) keeps nvcc from fusing into an fma: the draws equal the cpu's to the bit
        if (distribution == 0) {
            double unit = out_t == T_FLOAT32 ? (double) philox_uniform32(seed, counter) : philox_uniform64(seed, counter);
            store_d(out_p, out_t, to, __dadd_rn(a, __dmul_rn(b - a, unit)));
        } else if (distribution == 1) {
            double normal = out_t == T_FLOAT32 ? (double) philox_normal32(seed, counter) : philox_normal64(seed, counter);
            store_d(out_p, out_t, to, __dadd_rn(a, __dmul_rn(b, normal)));
        } else {
            store_l(out_p, out_t, to, philox_integer(seed, counter, low, high));
        }
    }
}

// UnaryOp ordinals.
enum { U_NEG, U_ABS, U_SIGN, U_RELU, U_FLOOR, U_CEIL, U_ROUND, U_TRUNC, U_EXP, U_EXPM1, U_LOG, U_LOG1P, U_SQRT,
       U_RSQRT, U_RECIPROCAL, U_SIN, U_COS, U_TANH, U_SIGMOID, U_ERF, U_GELU, U_GELU_TANH, U_LOGICAL_NOT, U_ISNAN };

__device__ double unary_d(int op, double x) {
    switch (op) {
        case U_NEG: return -x;
        case U_ABS: return fabs(x);
        case U_SIGN: return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
        case U_RELU: return x < 0 ? 0.0 : x;
        case U_FLOOR: return floor(x);
        case U_CEIL: return ceil(x);
        case U_ROUND: return rint(x);
        case U_TRUNC: return trunc(x);
        case U_EXP: return exp(x);
        case U_EXPM1: return expm1(x);
        case U_LOG: return log(x);
        case U_LOG1P: return log1p(x);
        case U_SQRT: return sqrt(x);
        case U_RSQRT: return 1.0 / sqrt(x);
        case U_RECIPROCAL: return 1.0 / x;
        case U_SIN: return sin(x);
        case U_COS: return cos(x);
        case U_TANH: return tanh(x);
        case U_SIGMOID: return 1.0 / (1.0 + exp(-x));
        case U_ERF: return erf(x);
        case U_GELU: return 0.5 * x * erfc(-x / 1.4142135623730951);
        case U_GELU_TANH: {
            const double sqrt_2_over_pi = 0.7978845608028654;
            return 0.5 * x * (1.0 + tanh(sqrt_2_over_pi * (x + 0.044715 * x * x * x)));
        }
        default: return nan("");
    }
}

__device__ long long unary_l(int op, long long x) {
    switch (op) {
        case U_NEG: return (long long) (0ULL - (unsigned long long) x);
        case U_ABS: return x < 0 ? (long long) (0ULL - (unsigned long long) x) : x;
        case U_SIGN: return (x > 0) - (x < 0);
        case U_RELU: return x > 0 ? x : 0;
        default: return x;  // FLOOR, CEIL, ROUND, TRUNC: integers unchanged
    }
}

extern "C" __global__ void ignis_unary(int op, View out, int out_t, void* out_p, View in, int in_t, const void* in_p,
                                       long long n) {
    GRID_STRIDE(i, n) {
        long long to = offset_of(out, out, i);
        long long from = offset_of(in, out, i);
        if (op == U_LOGICAL_NOT) {
            store_l(out_p, out_t, to, load_b(in_p, in_t, from) ? 0 : 1);
        } else if (op == U_ISNAN) {
            store_l(out_p, out_t, to, is_float(in_t) && isnan(load_d(in_p, in_t, from)) ? 1 : 0);
        } else if (is_float(in_t)) {
            store_d(out_p, out_t, to, unary_d(op, load_d(in_p, in_t, from)));
        } else {
            store_l(out_p, out_t, to, unary_l(op, load_l(in_p, in_t, from)));
        }
    }
}

// BinaryOp ordinals.
enum { B_ADD, B_SUB, B_MUL, B_DIV, B_FLOOR_DIVIDE, B_REMAINDER, B_POW, B_MAXIMUM, B_MINIMUM, B_ATAN2,
       B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE, B_LOGICAL_AND, B_LOGICAL_OR, B_LOGICAL_XOR };

// Python's float a // b, from the exact remainder (ElementMath.floorDivide).
__device__ double floor_divide_d(double a, double b) {
    if (b == 0.0) return a / b;
    double mod = fmod(a, b);
    double quotient = (a - mod) / b;
    if (mod != 0.0 && ((b < 0) != (mod < 0))) quotient -= 1.0;
    if (quotient == 0.0) return copysign(0.0, a / b);
    double fl = floor(quotient);
    return quotient - fl > 0.5 ? fl + 1.0 : fl;
}

__device__ double remainder_d(double a, double b) {
    double mod = fmod(a, b);
    return mod != 0.0 && ((b < 0) != (mod < 0)) ? mod + b : mod;
}

// C's pow: pow(1, y) = 1 for any y, pow(-1, +-inf) = 1.
__device__ double pow_d(double x, double y) {
    if (x == 1.0 || (x == -1.0 && isinf(y))) return 1.0;
    return pow(x, y);
}

__device__ double binary_d(int op, double x, double y) {
    switch (op) {
        case B_ADD: return x + y;
        case B_SUB: return x - y;
        case B_MUL: return x * y;
        case B_DIV: return x / y;
        case B_FLOOR_DIVIDE: return floor_divide_d(x, y);
        case B_REMAINDER: return remainder_d(x, y);
        case B_POW: return pow_d(x, y);
        case B_MAXIMUM: return jmax(x, y);
        case B_MINIMUM: return jmin(x, y);
        case B_ATAN2: return atan2(x, y);
        default: return nan("");
    }
}

// Wrapping 64-bit arithmetic; errors go to the error word and the element gets 0.
__device__ long long binary_l(int op, long long x, long long y, int* error) {
    unsigned long long ux = (unsigned long long) x, uy = (unsigned long long) y;
    switch (op) {
        case B_ADD: return (long long) (ux + uy);
        case B_SUB: return (long long) (ux - uy);
        case B_MUL: return (long long) (ux * uy);
        case B_FLOOR_DIVIDE: {
            if (y == 0) { atomicExch(error, ERR_DIV_ZERO); return 0; }
            if (y == -1) return (long long) (0ULL - ux);
            long long q = x / y;
            if ((x % y != 0) && ((x < 0) != (y < 0))) q -= 1;
            return q;
        }
        case B_REMAINDER: {
            if (y == 0) { atomicExch(error, ERR_DIV_ZERO); return 0; }
            if (y == -1) return 0;
            long long r = x % y;
            return r != 0 && ((r < 0) != (y < 0)) ? r + y : r;
        }
        case B_POW: {
            if (y < 0) { atomicExch(error, ERR_NEG_POW); return 0; }
            unsigned long long result = 1, base = ux;
            for (unsigned long long e = uy; e != 0; e >>= 1, base *= base) {
                if (e & 1) result *= base;
            }
            return (long long) result;
        }
        case B_MAXIMUM: return x > y ? x : y;
        case B_MINIMUM: return x < y ? x : y;
        default: return 0;
    }
}

extern "C" __global__ void ignis_binary(int op, View out, int out_t, void* out_p, View a, int a_t, const void* a_p,
                                        View b, int b_t, const void* b_p, int* error, long long n) {
    bool floating = is_float(a_t) || is_float(b_t);
    GRID_STRIDE(i, n) {
        long long to = offset_of(out, out, i);
        long long at = offset_of(a, out, i);
        long long bt = offset_of(b, out, i);
        if (op >= B_LOGICAL_AND) {
            bool x = load_b(a_p, a_t, at), y = load_b(b_p, b_t, bt);
            bool r = op == B_LOGICAL_AND ? (x && y) : op == B_LOGICAL_OR ? (x || y) : (x != y);
            store_l(out_p, out_t, to, r ? 1 : 0);
        } else if (op >= B_EQ) {
            bool r;
            if (floating) {
                double x = load_d(a_p, a_t, at), y = load_d(b_p, b_t, bt);
                r = op == B_EQ ? x == y : op == B_NE ? x != y : op == B_LT ? x < y
                  : op == B_LE ? x <= y : op == B_GT ? x > y : x >= y;
            } else {
                long long x = load_l(a_p, a_t, at), y = load_l(b_p, b_t, bt);
                r = op == B_EQ ? x == y : op == B_NE ? x != y : op == B_LT ? x < y
                  : op == B_LE ? x <= y : op == B_GT ? x > y : x >= y;
            }
            store_l(out_p, out_t, to, r ? 1 : 0);
        } else if (floating) {
            store_d(out_p, out_t, to, binary_d(op, load_d(a_p, a_t, at), load_d(b_p, b_t, bt)));
        } else {
            store_l(out_p, out_t, to, binary_l(op, load_l(a_p, a_t, at), load_l(b_p, b_t, bt), error));
        }
    }
}

// op: 0 WHERE, 1 CLAMP.
extern "C" __global__ void ignis_ternary(int op, View out, int out_t, void* out_p, View a, int a_t, const void* a_p,
                                         View b, int b_t, const void* b_p, View c, int c_t, const void* c_p,
                                         long long n) {
    GRID_STRIDE(i, n) {
        long long to = offset_of(out, out, i);
        long long at = offset_of(a, out, i);
        long long bt = offset_of(b, out, i);
        long long ct = offset_of(c, out, i);
        if (op == 0) {
            // b, c and out share one dtype: the chosen element moves bit for bit.
            unsigned long long bits = load_b(a_p, a_t, at) ? load_bits(b_p, b_t, bt) : load_bits(c_p, c_t, ct);
            store_bits(out_p, out_t, to, bits);
        } else if (is_float(a_t)) {
            store_d(out_p, out_t, to, jmin(jmax(load_d(a_p, a_t, at), load_d(b_p, b_t, bt)), load_d(c_p, c_t, ct)));
        } else {
            long long x = load_l(a_p, a_t, at), lo = load_l(b_p, b_t, bt), hi = load_l(c_p, c_t, ct);
            long long m = x > lo ? x : lo;
            store_l(out_p, out_t, to, m < hi ? m : hi);
        }
    }
}
