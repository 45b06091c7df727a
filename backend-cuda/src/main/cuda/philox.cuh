// Philox4x32-10 and its conversions, exactly as ignis.tensor.spi.Philox specifies them.
#pragma once

__device__ __forceinline__ void philox_block(unsigned long long seed, unsigned long long counter, unsigned int w[4]) {
    unsigned int c0 = (unsigned int) counter, c1 = (unsigned int) (counter >> 32), c2 = 0, c3 = 0;
    unsigned int k0 = (unsigned int) seed, k1 = (unsigned int) (seed >> 32);
    for (int round = 0; round < 10; round++) {
        unsigned long long p0 = (unsigned long long) 0xD2511F53u * c0;
        unsigned long long p1 = (unsigned long long) 0xCD9E8D57u * c2;
        unsigned int n0 = (unsigned int) (p1 >> 32) ^ c1 ^ k0;
        unsigned int n2 = (unsigned int) (p0 >> 32) ^ c3 ^ k1;
        c0 = n0;
        c1 = (unsigned int) p1;
        c2 = n2;
        c3 = (unsigned int) p0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    w[0] = c0; w[1] = c1; w[2] = c2; w[3] = c3;
}

__device__ __forceinline__ unsigned long long bits64(unsigned int low, unsigned int high) {
    return ((unsigned long long) high << 32) | low;
}

__device__ __forceinline__ float philox_uniform32(unsigned long long seed, unsigned long long counter) {
    unsigned int w[4];
    philox_block(seed, counter, w);
    return (float) (w[0] >> 8) * 0x1p-24f;
}

__device__ __forceinline__ double philox_uniform64(unsigned long long seed, unsigned long long counter) {
    unsigned int w[4];
    philox_block(seed, counter, w);
    return (double) (bits64(w[0], w[1]) >> 11) * 0x1p-53;
}

__device__ __forceinline__ double box_muller(double u1, double u2) {
    return sqrt(-2.0 * log(u1)) * cos(2.0 * 3.141592653589793 * u2);
}

__device__ __forceinline__ float philox_normal32(unsigned long long seed, unsigned long long counter) {
    unsigned int w[4];
    philox_block(seed, counter, w);
    double u1 = (double) ((w[0] >> 8) + 1) * 0x1p-24;
    double u2 = (double) (w[1] >> 8) * 0x1p-24;
    return __double2float_rn(box_muller(u1, u2));
}

__device__ __forceinline__ double philox_normal64(unsigned long long seed, unsigned long long counter) {
    unsigned int w[4];
    philox_block(seed, counter, w);
    double u1 = (double) ((bits64(w[0], w[1]) >> 11) + 1) * 0x1p-53;
    double u2 = (double) (bits64(w[2], w[3]) >> 11) * 0x1p-53;
    return box_muller(u1, u2);
}

// low + unsignedMultiplyHigh(w1:w0, high - low).
__device__ __forceinline__ long long philox_integer(unsigned long long seed, unsigned long long counter,
                                                    long long low, long long high) {
    unsigned int w[4];
    philox_block(seed, counter, w);
    unsigned long long range = (unsigned long long) high - (unsigned long long) low;
    return (long long) ((unsigned long long) low + __umul64hi(bits64(w[0], w[1]), range));
}
