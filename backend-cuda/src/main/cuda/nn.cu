// The training kernels behind the optional SPI kernel sets: the gathers of 2-D convolution as a matrix
// product (Conv2dKernels), pooling (Pool2dKernels), softmax and log-softmax (SoftmaxKernels), a fused
// cross-entropy, and the Adam step (OptimizerKernels). NCHW views of float32 or float64 through their own strides; every sum in double, rounded once.
#include "common.cuh"

// conv2d params, packed by the Java side as 7 ints.
struct ConvParams { int stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w, groups; };

__device__ __forceinline__ long long at4(const View& v, long long b, long long c, long long h, long long w) {
    return v.offset + b * v.strides[0] + c * v.strides[1] + h * v.strides[2] + w * v.strides[3];
}

// The columns of a convolution as a matrix product (Im2colConvolution): dense
// cols[b, (c*KH + kh)*KW + kw, oh*OW + ow] = in[b, c, oh*sh - ph + kh*dh, ow*sw - pw + kw*dw], 0 in the padding.
extern "C" __global__ void ignis_im2col(View cols, int t, void* cols_p, View in, const void* in_p,
                                        int KH, int KW, long long OH, long long OW, ConvParams p, long long n) {
    long long C = in.shape[1], H = in.shape[2], W = in.shape[3];
    GRID_STRIDE(i, n) {
        long long ow = i % OW, oh = (i / OW) % OH, r = i / (OW * OH);
        long long kw = r % KW, kh = (r / KW) % KH, c = (r / (KW * KH)) % C, b = r / (KW * KH * C);
        long long ih = oh * p.stride_h - p.pad_h + kh * p.dilation_h;
        long long iw = ow * p.stride_w - p.pad_w + kw * p.dilation_w;
        double x = ih >= 0 && ih < H && iw >= 0 && iw < W ? load_d(in_p, t, at4(in, b, c, ih, iw)) : 0.0;
        store_d(cols_p, t, cols.offset + i, x);
    }
}

// The inverse gather: gin[b, c, ih, iw] = the sum of the entries of the dense columns that im2col takes
// from there, in double, rounded once. One thread per input element: no atomics.
extern "C" __global__ void ignis_col2im(View gin, int t, void* gin_p, View cols, const void* cols_p,
                                        int KH, int KW, long long OH, long long OW, ConvParams p, long long n) {
    long long C = gin.shape[1], H = gin.shape[2], W = gin.shape[3];
    GRID_STRIDE(i, n) {
        long long iw = i % W, ih = (i / W) % H, c = (i / (W * H)) % C, b = i / (W * H * C);
        double acc = 0.0;
        for (long long kh = 0; kh < KH; kh++) {
            long long th = ih + p.pad_h - kh * p.dilation_h;
            if (th < 0 || th % p.stride_h != 0) continue;
            long long oh = th / p.stride_h;
            if (oh >= OH) continue;
            for (long long kw = 0; kw < KW; kw++) {
                long long tw = iw + p.pad_w - kw * p.dilation_w;
                if (tw < 0 || tw % p.stride_w != 0) continue;
                long long ow = tw / p.stride_w;
                if (ow >= OW) continue;
                acc += load_d(cols_p, t, cols.offset + (((b * C + c) * KH + kh) * KW + kw) * OH * OW + oh * OW + ow);
            }
        }
        store_d(gin_p, t, at4(gin, b, c, ih, iw), acc);
    }
}

// Pool2dParams, packed as 10 ints.
struct PoolParams { int kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w, ceil_mode, count_include_pad; };


// Max over each window (padding is -inf); index h * W + w of the first maximum, a NaN counting as the maximum.
extern "C" __global__ void ignis_max_pool_forward(View out, int t, void* out_p, View idx, long long* idx_p,
                                                  View in, const void* in_p, PoolParams p, long long n) {
    long long C = in.shape[1], H = in.shape[2], W = in.shape[3], OH = out.shape[2], OW = out.shape[3];
    GRID_STRIDE(i, n) {
        long long ow = i % OW, oh = (i / OW) % OH, c = (i / (OW * OH)) % C, b = i / (OW * OH * C);
        double best = -INFINITY;
        long long best_at = -1;
        for (long long kh = 0; kh < p.kernel_h; kh++) {
            long long h = oh * p.stride_h - p.pad_h + kh * p.dilation_h;
            if (h < 0 || h >= H) continue;
            for (long long kw = 0; kw < p.kernel_w; kw++) {
                long long w = ow * p.stride_w - p.pad_w + kw * p.dilation_w;
                if (w < 0 || w >= W) continue;
                double v = load_d(in_p, t, at4(in, b, c, h, w));
                if (best_at < 0 || (!isnan(best) && (isnan(v) || v > best))) {
                    best = v;
                    best_at = h * W + w;
                }
            }
        }
        store_d(out_p, t, at4(out, b, c, oh, ow), best);
        idx_p[at4(idx, b, c, oh, ow)] = best_at < 0 ? 0 : best_at;
    }
}

// Zeroes gradInput first (a separate launch of ignis_fill), then adds each output gradient at its index.
extern "C" __global__ void ignis_max_pool_backward(View gin, int t, void* gin_p, View gout, const void* gout_p,
                                                   View idx, const long long* idx_p, long long n) {
    long long C = gout.shape[1], OH = gout.shape[2], OW = gout.shape[3], W = gin.shape[3];
    GRID_STRIDE(i, n) {
        long long ow = i % OW, oh = (i / OW) % OH, c = (i / (OW * OH)) % C, b = i / (OW * OH * C);
        long long at = idx_p[at4(idx, b, c, oh, ow)];
        long long to = at4(gin, b, c, at / W, at % W);
        double g = load_d(gout_p, t, at4(gout, b, c, oh, ow));
        if (t == T_FLOAT32) {
            atomicAdd(((float*) gin_p) + to, (float) g);
        } else {
            atomicAdd(((double*) gin_p) + to, g);
        }
    }
}

__device__ __forceinline__ double avg_divisor(const PoolParams& p, long long h0, long long w0, long long H, long long W) {
    long long h1 = min(h0 + p.kernel_h, H + p.pad_h), w1 = min(w0 + p.kernel_w, W + p.pad_w);
    if (p.count_include_pad) {
        return (double) ((h1 - h0) * (w1 - w0));
    }
    return (double) ((min(h1, H) - max(h0, 0LL)) * (min(w1, W) - max(w0, 0LL)));
}

extern "C" __global__ void ignis_avg_pool_forward(View out, int t, void* out_p, View in, const void* in_p,
                                                  PoolParams p, long long n) {
    long long C = in.shape[1], H = in.shape[2], W = in.shape[3], OH = out.shape[2], OW = out.shape[3];
    GRID_STRIDE(i, n) {
        long long ow = i % OW, oh = (i / OW) % OH, c = (i / (OW * OH)) % C, b = i / (OW * OH * C);
        long long h0 = oh * p.stride_h - p.pad_h, w0 = ow * p.stride_w - p.pad_w;
        double sum = 0.0;
        for (long long h = max(h0, 0LL); h < min(h0 + p.kernel_h, H); h++) {
            for (long long w = max(w0, 0LL); w < min(w0 + p.kernel_w, W); w++) {
                sum += load_d(in_p, t, at4(in, b, c, h, w));
            }
        }
        store_d(out_p, t, at4(out, b, c, oh, ow), sum / avg_divisor(p, h0, w0, H, W));
    }
}

// One thread per input element: the sum of gradOut / divisor over the windows that cover it.
extern "C" __global__ void ignis_avg_pool_backward(View gin, int t, void* gin_p, View gout, const void* gout_p,
                                                   PoolParams p, long long n) {
    long long C = gin.shape[1], H = gin.shape[2], W = gin.shape[3], OH = gout.shape[2], OW = gout.shape[3];
    GRID_STRIDE(i, n) {
        long long w = i % W, h = (i / W) % H, c = (i / (W * H)) % C, b = i / (W * H * C);
        double acc = 0.0;
        for (long long oh = 0; oh < OH; oh++) {
            long long h0 = oh * p.stride_h - p.pad_h;
            if (h < h0 || h >= h0 + p.kernel_h) continue;
            for (long long ow = 0; ow < OW; ow++) {
                long long w0 = ow * p.stride_w - p.pad_w;
                if (w < w0 || w >= w0 + p.kernel_w) continue;
                acc += load_d(gout_p, t, at4(gout, b, c, oh, ow)) / avg_divisor(p, h0, w0, H, W);
            }
        }
        store_d(gin_p, t, at4(gin, b, c, h, w), acc);
    }
}

// Softmax family along one dim: the Java side passes the views with that dim moved last, as `rows`
// lines of `length` elements (row r's element k at offset_of(view without last dim, r) + k * stride).
// One thread per line; max-subtracted, sums in double. mode: 0 softmax, 1 log-softmax.
__device__ __forceinline__ long long line_start(const View& v, long long r) {
    long long at = v.offset;
    for (int d = (int) v.rank - 2; d >= 0; d--) {
        long long size = v.shape[d];
        long long q = r / size;
        at += (r - q * size) * v.strides[d];
        r = q;
    }
    return at;
}

extern "C" __global__ void ignis_softmax(int mode, View out, int t, void* out_p, View in, const void* in_p,
                                         long long rows) {
    int last = (int) in.rank - 1;
    long long length = in.shape[last], is = in.strides[last], os = out.strides[last];
    GRID_STRIDE(r, rows) {
        long long i0 = line_start(in, r), o0 = line_start(out, r);
        double m = -INFINITY;
        for (long long k = 0; k < length; k++) m = jmax(m, load_d(in_p, t, i0 + k * is));
        double sum = 0.0;
        for (long long k = 0; k < length; k++) sum += exp(load_d(in_p, t, i0 + k * is) - m);
        double log_sum = log(sum);
        for (long long k = 0; k < length; k++) {
            double x = load_d(in_p, t, i0 + k * is) - m;
            store_d(out_p, t, o0 + k * os, mode == 0 ? exp(x) / sum : x - log_sum);
        }
    }
}

// mode 0: gradIn = out * (gradOut - sum(gradOut * out)); mode 1: gradIn = gradOut - exp(out) * sum(gradOut).
extern "C" __global__ void ignis_softmax_backward(int mode, View gin, int t, void* gin_p, View gout, const void* gout_p,
                                                  View out, const void* out_p, long long rows) {
    int last = (int) out.rank - 1;
    long long length = out.shape[last];
    long long gis = gin.strides[last], gos = gout.strides[last], os = out.strides[last];
    GRID_STRIDE(r, rows) {
        long long gi0 = line_start(gin, r), go0 = line_start(gout, r), o0 = line_start(out, r);
        double sum = 0.0;
        for (long long k = 0; k < length; k++) {
            double g = load_d(gout_p, t, go0 + k * gos);
            sum += mode == 0 ? g * load_d(out_p, t, o0 + k * os) : g;
        }
        for (long long k = 0; k < length; k++) {
            double g = load_d(gout_p, t, go0 + k * gos), y = load_d(out_p, t, o0 + k * os);
            store_d(gin_p, t, gi0 + k * gis, mode == 0 ? y * (g - sum) : g - exp(y) * sum);
        }
    }
}

// Fused cross-entropy over logits [rows, classes] with int64 targets: loss[r] = logsumexp(x[r]) - x[r, target[r]],
// and its gradient softmax(x[r]) - onehot(target[r]), scaled by scale (1/rows for a mean). Not yet reachable
// through the SPI (no CrossEntropyKernels interface): kept for when tensor-api offers the hook.
extern "C" __global__ void ignis_cross_entropy(View loss, int t, void* loss_p, View grad, void* grad_p, int want_grad,
                                               double scale, View x, const void* x_p, View target,
                                               const long long* target_p, long long rows) {
    long long classes = x.shape[1];
    GRID_STRIDE(r, rows) {
        long long x0 = x.offset + r * x.strides[0];
        double m = -INFINITY;
        for (long long k = 0; k < classes; k++) m = jmax(m, load_d(x_p, t, x0 + k * x.strides[1]));
        double sum = 0.0;
        for (long long k = 0; k < classes; k++) sum += exp(load_d(x_p, t, x0 + k * x.strides[1]) - m);
        long long y = target_p[target.offset + r * target.strides[0]];
        double lse = m + log(sum);
        store_d(loss_p, t, loss.offset + r * loss.strides[0], lse - load_d(x_p, t, x0 + y * x.strides[1]));
        if (want_grad) {
            for (long long k = 0; k < classes; k++) {
                double p = exp(load_d(x_p, t, x0 + k * x.strides[1]) - lse);
                store_d(grad_p, t, grad.offset + r * grad.strides[0] + k * grad.strides[1], scale * (p - (k == y ? 1.0 : 0.0)));
            }
        }
    }
}

// One Adam step in place over dense operands (OptimizerKernels.adam): the operations of the elementwise
// composition in its order, each rounded to the dtype as its kernels round, the scalars too, and none
// fused (__dmul_rn and friends keep nvcc from contracting into fma), so both give the same bits.
extern "C" __global__ void ignis_adam(int t, void* p_p, const void* g_p, void* m_p, void* v_p, void* x_p, int amsgrad,
                                      double beta1, double rest1, double beta2, double rest2, double correction,
                                      double eps, double descent, long long n) {
    beta1 = round_d(t, beta1);
    rest1 = round_d(t, rest1);
    beta2 = round_d(t, beta2);
    rest2 = round_d(t, rest2);
    correction = round_d(t, correction);
    eps = round_d(t, eps);
    descent = round_d(t, descent);
    GRID_STRIDE(i, n) {
        double g = load_d(g_p, t, i);
        double m = round_d(t, __dadd_rn(round_d(t, __dmul_rn(load_d(m_p, t, i), beta1)), round_d(t, __dmul_rn(g, rest1))));
        double squared = round_d(t, __dmul_rn(round_d(t, __dmul_rn(g, g)), rest2));
        double v = round_d(t, __dadd_rn(round_d(t, __dmul_rn(load_d(v_p, t, i), beta2)), squared));
        store_d(m_p, t, i, m);
        store_d(v_p, t, i, v);
        if (amsgrad) {
            double x = load_d(x_p, t, i);
            v = isnan(x) || isnan(v) ? x + v : fmax(x, v);
            store_d(x_p, t, i, v);
        }
        double denom = round_d(t, __dadd_rn(round_d(t, __ddiv_rn(round_d(t, sqrt(v)), correction)), eps));
        double update = round_d(t, __dmul_rn(round_d(t, __ddiv_rn(m, denom)), descent));
        store_d(p_p, t, i, __dadd_rn(load_d(p_p, t, i), update));
    }
}
