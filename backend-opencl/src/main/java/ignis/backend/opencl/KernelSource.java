package ignis.backend.opencl;

import ignis.tensor.DType;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.ElementMath;
import ignis.tensor.spi.UnaryOp;

/**
 * The OpenCL C source of every kernel, generated per dtype combination. Each kernel is one small
 * program, built the first time it is used and cached by {@link ClContext}. The per-element
 * semantics are those of {@link ElementMath}: floats are computed in double (when the device has
 * fp64, as the Java backends do) and rounded once into the output; integers in long, wrapping.
 *
 * <p>Elementwise kernels take a {@code geom} struct by value: the (coalesced) shape, the element
 * offset and the strides of up to four operands; work item {@code i} handles the element of
 * row-major position {@code i}.
 */
final class KernelSource {

    static final int MAX_RANK = 8;
    static final int SLOTS = 4;
    /** Longs in a geom struct: rank, numel, shape, offsets, strides. */
    static final int GEOM_LONGS = 2 + MAX_RANK + SLOTS + SLOTS * MAX_RANK;

    private KernelSource() {
    }

    /** What every program starts with: types, op codes and the scalar functions of ElementMath. */
    static String preamble(boolean fp64) {
        StringBuilder s = new StringBuilder();
        if (fp64) {
            s.append("#pragma OPENCL EXTENSION cl_khr_fp64 : enable\ntypedef double R;\n");
        } else {
            s.append("typedef float R;\n");
        }
        // Java never fuses a*b+c; neither do we, so that the exactly rounded ops stay exact.
        s.append("#pragma OPENCL FP_CONTRACT OFF\n");
        s.append("#define MAXR ").append(MAX_RANK).append('\n');
        s.append("typedef struct { long rank; long numel; long shape[MAXR]; long off[4]; long st[4][MAXR]; } geom;\n");
        for (UnaryOp op : UnaryOp.values()) {
            s.append("#define U_").append(op.name()).append(' ').append(op.ordinal()).append('\n');
        }
        for (BinaryOp op : BinaryOp.values()) {
            s.append("#define B_").append(op.name()).append(' ').append(op.ordinal()).append('\n');
        }
        s.append("""
                #define OFFSETS \\
                  long gid = get_global_id(0); if (gid >= g.numel) return; \\
                  long o0 = g.off[0], o1 = g.off[1], o2 = g.off[2], o3 = g.off[3]; \\
                  { long rem = gid; for (int d = (int) g.rank - 1; d >= 0; d--) { long sz = g.shape[d]; long c = rem % sz; rem /= sz; \\
                    o0 += c * g.st[0][d]; o1 += c * g.st[1][d]; o2 += c * g.st[2][d]; o3 += c * g.st[3][d]; } }

                float bf16_load(ushort b) { return as_float(((uint) b) << 16); }
                ushort bf16_store(float v) {
                  uint bits = as_uint(v);
                  if (isnan(v)) return (ushort) ((bits >> 16) | 0x0040);
                  uint lsb = (bits >> 16) & 1;
                  return (ushort) ((bits + 0x7FFF + lsb) >> 16);
                }
                long lneg(long x) { return (long) (0UL - (ulong) x); }

                R un_r(int op, R x) {
                  switch (op) {
                    case U_NEG: return -x;
                    case U_ABS: return fabs(x);
                    case U_SIGN: return x > 0 ? (R) 1 : (x < 0 ? (R) -1 : (R) 0);
                    case U_RELU: return x < 0 ? (R) 0 : x;
                    case U_FLOOR: return floor(x);
                    case U_CEIL: return ceil(x);
                    case U_ROUND: return rint(x);
                    case U_TRUNC: return trunc(x);
                    case U_EXP: return exp(x);
                    case U_EXPM1: return expm1(x);
                    case U_LOG: return log(x);
                    case U_LOG1P: return log1p(x);
                    case U_SQRT: return sqrt(x);
                    case U_RSQRT: return (R) 1 / sqrt(x);
                    case U_RECIPROCAL: return (R) 1 / x;
                    case U_SIN: return sin(x);
                    case U_COS: return cos(x);
                    case U_TANH: return tanh(x);
                    case U_SIGMOID: return (R) 1 / ((R) 1 + exp(-x));
                    case U_ERF: return erf(x);
                    case U_GELU: return (R) 0.5 * x * erfc(-x / sqrt((R) 2));
                    case U_GELU_TANH: return (R) 0.5 * x * ((R) 1 + tanh((R) SQRT_2_OVER_PI * (x + (R) GELU_CUBIC * x * x * x)));
                  }
                  return x;
                }
                long un_l(int op, long x) {
                  switch (op) {
                    case U_NEG: return lneg(x);
                    case U_ABS: return x < 0 ? lneg(x) : x;
                    case U_SIGN: return x > 0 ? 1 : (x < 0 ? -1 : 0);
                    case U_RELU: return x < 0 ? 0 : x;
                  }
                  return x;
                }
                R floor_div_r(R a, R b) {
                  if (b == 0) return a / b;
                  R mod = fmod(a, b);
                  R q = (a - mod) / b;
                  if (mod != 0 && ((b < 0) != (mod < 0))) q -= 1;
                  if (q == 0) return copysign((R) 0, a / b);
                  R f = floor(q);
                  return q - f > (R) 0.5 ? f + 1 : f;
                }
                R rem_r(R a, R b) {
                  R mod = fmod(a, b);
                  return mod != 0 && ((b < 0) != (mod < 0)) ? mod + b : mod;
                }
                R bin_r(int op, R x, R y) {
                  switch (op) {
                    case B_ADD: return x + y;
                    case B_SUB: return x - y;
                    case B_MUL: return x * y;
                    case B_DIV: return x / y;
                    case B_FLOOR_DIVIDE: return floor_div_r(x, y);
                    case B_REMAINDER: return rem_r(x, y);
                    case B_POW: return (x == 1 || (x == -1 && isinf(y))) ? (R) 1 : pow(x, y);
                    case B_MAXIMUM: return isnan(x) || isnan(y) ? x + y : fmax(x, y);
                    case B_MINIMUM: return isnan(x) || isnan(y) ? x + y : fmin(x, y);
                    case B_ATAN2: return atan2(x, y);
                  }
                  return 0;
                }
                long bin_l(int op, long x, long y, __global int* err) {
                  switch (op) {
                    case B_ADD: return (long) ((ulong) x + (ulong) y);
                    case B_SUB: return (long) ((ulong) x - (ulong) y);
                    case B_MUL: return (long) ((ulong) x * (ulong) y);
                    case B_FLOOR_DIVIDE: {
                      if (y == 0) { err[0] = 1; return 0; }
                      if (y == -1) return lneg(x);
                      long q = x / y;
                      if (x % y != 0 && ((x < 0) != (y < 0))) q--;
                      return q;
                    }
                    case B_REMAINDER: {
                      if (y == 0) { err[0] = 1; return 0; }
                      if (y == -1) return 0;
                      long r = x % y;
                      return r != 0 && ((r < 0) != (y < 0)) ? r + y : r;
                    }
                    case B_POW: {
                      if (y < 0) { err[0] = 2; return 0; }
                      ulong result = 1, b = (ulong) x, e = (ulong) y;
                      while (e != 0) { if (e & 1) result *= b; b *= b; e >>= 1; }
                      return (long) result;
                    }
                    case B_MAXIMUM: return x > y ? x : y;
                    case B_MINIMUM: return x < y ? x : y;
                  }
                  return 0;
                }
                int cmp(int op, R x, R y) {
                  switch (op) {
                    case B_EQ: return x == y; case B_NE: return x != y; case B_LT: return x < y;
                    case B_LE: return x <= y; case B_GT: return x > y; case B_GE: return x >= y;
                  }
                  return 0;
                }
                int cmp_l(int op, long x, long y) {
                  switch (op) {
                    case B_EQ: return x == y; case B_NE: return x != y; case B_LT: return x < y;
                    case B_LE: return x <= y; case B_GT: return x > y; case B_GE: return x >= y;
                  }
                  return 0;
                }
                int logic(int op, int x, int y) {
                  switch (op) {
                    case B_LOGICAL_AND: return x && y; case B_LOGICAL_OR: return x || y; case B_LOGICAL_XOR: return x != y;
                  }
                  return 0;
                }
                uint4 philox(ulong seed, ulong counter) {
                  uint c0 = (uint) counter, c1 = (uint) (counter >> 32), c2 = 0, c3 = 0;
                  uint k0 = (uint) seed, k1 = (uint) (seed >> 32);
                  for (int r = 0; r < 10; r++) {
                    ulong p0 = (ulong) 0xD2511F53u * c0;
                    ulong p1 = (ulong) 0xCD9E8D57u * c2;
                    uint n0 = (uint) (p1 >> 32) ^ c1 ^ k0;
                    uint n2 = (uint) (p0 >> 32) ^ c3 ^ k1;
                    c0 = n0; c1 = (uint) p1; c2 = n2; c3 = (uint) p0;
                    k0 += 0x9E3779B9u; k1 += 0xBB67AE85u;
                  }
                  return (uint4) (c0, c1, c2, c3);
                }
                """.replace("SQRT_2_OVER_PI", Double.toString(ElementMath.SQRT_2_OVER_PI))
                .replace("GELU_CUBIC", Double.toString(ElementMath.GELU_TANH_CUBIC)));
        return s.toString();
    }

    // ---- dtypes in C ----

    static String ctype(DType t) {
        return switch (t) {
            case BOOL -> "uchar";
            case INT32 -> "int";
            case INT64 -> "long";
            case FLOAT16, BFLOAT16 -> "ushort";
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
        };
    }

    /** The unsigned type of the same size, for bit-exact copies. */
    static String bits(DType t) {
        return switch (t.byteSize()) {
            case 1 -> "uchar";
            case 2 -> "ushort";
            case 4 -> "uint";
            default -> "ulong";
        };
    }

    static boolean floating(DType t) {
        return t.isFloatingPoint();
    }

    /** Element {@code i} of {@code p} as R. */
    static String loadR(DType t, String p, String i) {
        return switch (t) {
            case BOOL -> "((R) (" + p + "[" + i + "] != 0))";
            case FLOAT16 -> "((R) vload_half(" + i + ", (__global half*) " + p + "))";
            case BFLOAT16 -> "((R) bf16_load(" + p + "[" + i + "]))";
            default -> "((R) " + p + "[" + i + "])";
        };
    }

    /** Element {@code i} of {@code p} as long (floats truncated and saturated, NaN to 0). */
    static String loadL(DType t, String p, String i) {
        return switch (t) {
            case BOOL -> "((long) (" + p + "[" + i + "] != 0))";
            case INT32, INT64 -> "((long) " + p + "[" + i + "])";
            default -> "convert_long_sat_rtz(" + loadR(t, p, i) + ")";
        };
    }

    /** Element {@code i} of {@code p} as a truth value. */
    static String truth(DType t, String p, String i) {
        return switch (t) {
            case FLOAT16, BFLOAT16 -> "(" + loadR(t, p, i) + " != 0)";
            default -> "(" + p + "[" + i + "] != 0)";
        };
    }

    /** Stores the R value v into element i of p, converting as the reference backend does. */
    static String storeR(DType t, String p, String i, String v) {
        return switch (t) {
            case BOOL -> p + "[" + i + "] = (uchar) ((" + v + ") != 0);";
            case INT32 -> p + "[" + i + "] = convert_int_sat_rtz(" + v + ");";
            case INT64 -> p + "[" + i + "] = convert_long_sat_rtz(" + v + ");";
            case FLOAT16 -> "vstore_half_rte((float) (" + v + "), " + i + ", (__global half*) " + p + ");";
            case BFLOAT16 -> p + "[" + i + "] = bf16_store((float) (" + v + "));";
            case FLOAT32 -> p + "[" + i + "] = (float) (" + v + ");";
            case FLOAT64 -> p + "[" + i + "] = (double) (" + v + ");";
        };
    }

    /** Stores the long value v into element i of p: wrapping for integers, rounded for floats. */
    static String storeL(DType t, String p, String i, String v) {
        return switch (t) {
            case BOOL -> p + "[" + i + "] = (uchar) ((" + v + ") != 0);";
            case INT32 -> p + "[" + i + "] = (int) (" + v + ");";
            case INT64 -> p + "[" + i + "] = (long) (" + v + ");";
            case FLOAT16 -> "vstore_half_rte((float) (" + v + "), " + i + ", (__global half*) " + p + ");";
            case BFLOAT16 -> p + "[" + i + "] = bf16_store((float) (" + v + "));";
            case FLOAT32 -> p + "[" + i + "] = (float) (" + v + ");";
            case FLOAT64 -> p + "[" + i + "] = (double) (" + v + ");";
        };
    }

    static String tag(DType t) {
        return t.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String kernel(String name, String params, String body) {
        return "__kernel void " + name + "(geom g" + params + ") {\n  OFFSETS\n  " + body + "\n}\n";
    }

    // ---- kernels ----

    static String copy(String name, DType dst, DType src) {
        String body;
        if (dst == src) {
            String b = bits(dst);
            return "__kernel void " + name + "(geom g, __global " + b + "* out, __global const " + b + "* in) {\n  OFFSETS\n"
                    + "  out[o0] = in[o1];\n}\n";
        } else if (dst == DType.BOOL) {
            body = "out[o0] = (uchar) " + truth(src, "in", "o1") + ";";
        } else if (floating(src)) {
            body = storeR(dst, "out", "o0", loadR(src, "in", "o1"));
        } else {
            body = storeL(dst, "out", "o0", loadL(src, "in", "o1"));
        }
        return kernel(name, ", __global " + ctype(dst) + "* out, __global const " + ctype(src) + "* in", body);
    }

    static String fill(String name, DType t) {
        String b = bits(t);
        return kernel(name, ", __global " + b + "* out, ulong bits", "out[o0] = (" + b + ") bits;");
    }

    static String unary(String name, UnaryOp op, DType out, DType in) {
        String body;
        if (op == UnaryOp.LOGICAL_NOT) {
            body = "out[o0] = (uchar) !" + truth(in, "in", "o1") + ";";
        } else if (op == UnaryOp.ISNAN) {
            body = floating(in) ? "out[o0] = (uchar) isnan(" + loadR(in, "in", "o1") + ");" : "out[o0] = 0;";
        } else if (floating(in)) {
            body = storeR(out, "out", "o0", "un_r(op, " + loadR(in, "in", "o1") + ")");
        } else {
            body = storeL(out, "out", "o0", "un_l(op, " + loadL(in, "in", "o1") + ")");
        }
        return kernel(name, ", __global " + ctype(out) + "* out, __global const " + ctype(in) + "* in, int op", body);
    }

    static String binary(String name, BinaryOp op, DType out, DType in) {
        String a = floating(in) ? loadR(in, "a", "o1") : loadL(in, "a", "o1");
        String b = floating(in) ? loadR(in, "b", "o2") : loadL(in, "b", "o2");
        String body = switch (op.rule()) {
            case ARITHMETIC, FLOATING -> floating(in)
                    ? storeR(out, "out", "o0", "bin_r(op, " + a + ", " + b + ")")
                    : storeL(out, "out", "o0", "bin_l(op, " + a + ", " + b + ", err)");
            case COMPARISON -> "out[o0] = (uchar) " + (floating(in) ? "cmp" : "cmp_l") + "(op, " + a + ", " + b + ");";
            case LOGICAL -> "out[o0] = (uchar) logic(op, " + truth(in, "a", "o1") + ", " + truth(in, "b", "o2") + ");";
        };
        return kernel(name, ", __global " + ctype(out) + "* out, __global const " + ctype(in) + "* a, __global const "
                + ctype(in) + "* b, int op, __global int* err", body);
    }

    static String where(String name, DType t, DType cond) {
        String b = bits(t);
        return kernel(name, ", __global " + b + "* out, __global const " + ctype(cond) + "* a, __global const " + b
                + "* b, __global const " + b + "* c", "out[o0] = " + truth(cond, "a", "o1") + " ? b[o2] : c[o3];");
    }

    /**
     * ReLU's gradient, float32 or float64, on the bits: {@code out = y > 0 ? grad : 0}. y is above 0 where its
     * bits as a signed integer are above 0 and not above +inf's (NaN lies beyond), so subnormal outputs pass
     * even where the device flushes them, and the gradient's bits pass as they are.
     */
    static String reluBackward(String name, DType t) {
        String b = bits(t);
        boolean wide = t == DType.FLOAT64;
        String positive = "(" + (wide ? "long" : "int") + ") y[o2] > 0 && y[o2] <= " + (wide ? "0x7FF0000000000000UL" : "0x7F800000U");
        return kernel(name, ", __global " + b + "* out, __global const " + b + "* grad, __global const " + b + "* y",
                "out[o0] = " + positive + " ? grad[o1] : (" + b + ") 0;");
    }

    static String clamp(String name, DType t) {
        String body;
        if (floating(t)) {
            body = "R x = " + loadR(t, "a", "o1") + ", lo = " + loadR(t, "b", "o2") + ", hi = " + loadR(t, "c", "o3") + ";\n"
                    + "  R r = (isnan(x) || isnan(lo) || isnan(hi)) ? x + lo + hi : fmin(fmax(x, lo), hi);\n  "
                    + storeR(t, "out", "o0", "r");
        } else {
            body = "long x = " + loadL(t, "a", "o1") + ", lo = " + loadL(t, "b", "o2") + ", hi = " + loadL(t, "c", "o3") + ";\n"
                    + "  long m = x > lo ? x : lo; m = m < hi ? m : hi;\n  " + storeL(t, "out", "o0", "m");
        }
        String c = ctype(t);
        return kernel(name, ", __global " + c + "* out, __global const " + c + "* a, __global const " + c
                + "* b, __global const " + c + "* c", body);
    }

    /** Random draws: counter = offset + gid (row-major position). */
    static String random(String name, String distribution, DType t) {
        String draw = switch (distribution) {
            case "UNIFORM" -> t == DType.FLOAT32
                    ? "uint4 w = philox(seed, ctr); double u = (double) (w.x >> 8) * 0x1p-24; double v = a + (b - a) * u;"
                    : "uint4 w = philox(seed, ctr); ulong bits = ((ulong) w.y << 32) | w.x; double u = (double) (bits >> 11) * 0x1p-53; double v = a + (b - a) * u;";
            case "NORMAL" -> t == DType.FLOAT32
                    ? "uint4 w = philox(seed, ctr); double u1 = (double) ((w.x >> 8) + 1) * 0x1p-24; double u2 = (double) (w.y >> 8) * 0x1p-24;"
                        + " float z = (float) (sqrt(-2 * log(u1)) * cos(2 * M_PI * u2)); double v = a + b * (double) z;"
                    : "uint4 w = philox(seed, ctr); ulong b0 = ((ulong) w.y << 32) | w.x; ulong b1 = ((ulong) w.w << 32) | w.z;"
                        + " double u1 = (double) ((b0 >> 11) + 1) * 0x1p-53; double u2 = (double) (b1 >> 11) * 0x1p-53;"
                        + " double v = a + b * (sqrt(-2 * log(u1)) * cos(2 * M_PI * u2));";
            default -> "uint4 w = philox(seed, ctr); ulong bits = ((ulong) w.y << 32) | w.x; long v = lo + (long) mul_hi(bits, (ulong) (hi - lo));";
        };
        String store = distribution.equals("INTEGER") ? storeL(t, "out", "o0", "v") : storeR(t, "out", "o0", "v");
        return kernel(name, ", __global " + ctype(t) + "* out, ulong seed, ulong offset, double a, double b, long lo, long hi",
                "ulong ctr = offset + (ulong) gid;\n  " + draw + "\n  " + store);
    }

    /**
     * One work item per output element; {@code g} walks the kept dims (st[0] out, st[1] in), {@code r}
     * walks the reduced dims (st[1] in).
     */
    static String reduce(String name, String op, DType out, DType in) {
        boolean fl = floating(in);
        String x = fl ? loadR(in, "in", "at") : loadL(in, "in", "at");
        String acc = fl ? "R" : "long";
        String init;
        String step;
        String result = "acc";
        boolean arg = false;
        switch (op) {
            case "SUM" -> {
                init = "0";
                step = fl ? "acc += x;" : "acc = (long) ((ulong) acc + (ulong) x);";
            }
            case "PROD" -> {
                init = "1";
                step = fl ? "acc *= x;" : "acc = (long) ((ulong) acc * (ulong) x);";
            }
            case "MAX", "MIN" -> {
                String better = op.equals("MAX") ? ">" : "<";
                init = null;
                step = fl ? "if (k == 0 || isnan(x) || (!isnan(acc) && x " + better + " acc)) acc = x;"
                        : "if (k == 0 || x " + better + " acc) acc = x;";
            }
            default -> {
                arg = true;
                String better = op.equals("ARGMAX") ? ">" : "<";
                init = null;
                step = fl ? "if (k == 0 || (!isnan(acc) && (isnan(x) || x " + better + " acc))) { acc = x; best = k; }"
                        : "if (k == 0 || x " + better + " acc) { acc = x; best = k; }";
                result = "best";
            }
        }
        String store = arg ? "out[o0] = best;" : (fl ? storeR(out, "out", "o0", result) : storeL(out, "out", "o0", result));
        String body = acc + " acc = " + (init == null ? "0" : init) + "; long best = 0;\n"
                + "  for (long k = 0; k < r.numel; k++) {\n"
                + "    long at = o1; long rem = k;\n"
                + "    for (int d = (int) r.rank - 1; d >= 0; d--) { long sz = r.shape[d]; at += (rem % sz) * r.st[1][d]; rem /= sz; }\n"
                + "    " + acc + " x = " + x + ";\n    " + step + "\n  }\n  " + store;
        return "__kernel void " + name + "(geom g, geom r, __global " + ctype(out) + "* out, __global const " + ctype(in)
                + "* in) {\n  OFFSETS\n  " + body + "\n}\n";
    }

    /** Rows and columns of the output block that one matmul work item computes, in registers. */
    static final int GEMM_ROWS = 4;
    static final int GEMM_COLS = 8;

    /**
     * A batched product, register-blocked: each work item computes a {@value #GEMM_ROWS} x
     * {@value #GEMM_COLS} block of one output matrix, so that every element loaded from a or b is used
     * 8 or 4 times. Any strides (transposes are strides); g walks the batch dims (out, a, b). Rows and
     * columns past the edge are clamped for loads and skipped for stores.
     */
    static String matmul(String name, DType t) {
        boolean fl = floating(t);
        String acc = t == DType.FLOAT32 ? "float" : fl ? "double" : "ulong";
        String c = ctype(t);
        int tm = GEMM_ROWS;
        int tn = GEMM_COLS;
        return "__kernel void " + name + "(geom g, __global " + c + "* out, __global const " + c + "* a, __global const " + c
                + "* b, long M, long N, long K, long som, long son, long sam, long sak, long sbk, long sbn) {\n"
                + "  long tilesN = (N + " + (tn - 1) + ") / " + tn + ", tilesM = (M + " + (tm - 1) + ") / " + tm + ";\n"
                + "  long id = get_global_id(0); if (id >= g.numel * tilesM * tilesN) return;\n"
                + "  long tj = id % tilesN; long ti = (id / tilesN) % tilesM; long batch = id / (tilesN * tilesM);\n"
                + "  long o0 = g.off[0], o1 = g.off[1], o2 = g.off[2];\n"
                + "  { long rem = batch; for (int d = (int) g.rank - 1; d >= 0; d--) { long sz = g.shape[d]; long cc = rem % sz; rem /= sz;"
                + " o0 += cc * g.st[0][d]; o1 += cc * g.st[1][d]; o2 += cc * g.st[2][d]; } }\n"
                + "  long i0 = ti * " + tm + ", j0 = tj * " + tn + ";\n"
                + "  long ra[" + tm + "]; long cb[" + tn + "];\n"
                + "  for (int r = 0; r < " + tm + "; r++) ra[r] = o1 + min(i0 + r, M - 1) * sam;\n"
                + "  for (int q = 0; q < " + tn + "; q++) cb[q] = o2 + min(j0 + q, N - 1) * sbn;\n"
                + "  " + acc + " acc[" + tm + "][" + tn + "];\n"
                + "  for (int r = 0; r < " + tm + "; r++) for (int q = 0; q < " + tn + "; q++) acc[r][q] = 0;\n"
                + "  for (long k = 0; k < K; k++) {\n"
                + "    " + acc + " av[" + tm + "]; " + acc + " bv[" + tn + "];\n"
                + "    for (int r = 0; r < " + tm + "; r++) av[r] = (" + acc + ") a[ra[r] + k * sak];\n"
                + "    for (int q = 0; q < " + tn + "; q++) bv[q] = (" + acc + ") b[cb[q] + k * sbk];\n"
                + "    for (int r = 0; r < " + tm + "; r++) for (int q = 0; q < " + tn + "; q++) acc[r][q] += av[r] * bv[q];\n"
                + "  }\n"
                + "  for (int r = 0; r < " + tm + "; r++) for (int q = 0; q < " + tn + "; q++)\n"
                + "    if (i0 + r < M && j0 + q < N) out[o0 + (i0 + r) * som + (j0 + q) * son] = (" + c + ") acc[r][q];\n"
                + "}\n";
    }

    /** out[o0] = in[o2 + index[o1] * inStride]: g walks the index's shape (st[0] out, st[1] index, st[2] in with 0 on dim). */
    static String gather(String name, DType t) {
        String b = bits(t);
        return kernel(name, ", __global " + b + "* out, __global const long* index, __global const " + b + "* in, long inStride",
                "out[o0] = in[o2 + index[o1] * inStride];");
    }

    /**
     * One work item per position of the index with its scatter dim collapsed; it walks that dim, so no
     * two work items write one element. g: st[0] out (0 on dim), st[1] index, st[2] src.
     */
    static String scatter(String name, boolean add, DType t) {
        String c = add ? ctype(t) : bits(t);
        String write;
        if (!add) {
            write = "out[to] = src[o2 + j * srcStride];";
        } else if (floating(t)) {
            write = storeR(t, "out", "to", loadR(t, "out", "to") + " + " + loadR(t, "src", "o2 + j * srcStride"));
        } else {
            write = storeL(t, "out", "to", "(long) ((ulong) " + loadL(t, "out", "to") + " + (ulong) "
                    + loadL(t, "src", "o2 + j * srcStride") + ")");
        }
        return kernel(name, ", __global " + c + "* out, __global const long* index, __global const " + c
                        + "* src, long count, long outStride, long indexStride, long srcStride",
                "for (long j = 0; j < count; j++) { long to = o0 + index[o1 + j * indexStride] * outStride; " + write + " }");
    }

    /**
     * Softmax along one dim: one work item per row (g walks the other dims: st[0] out, st[1] a, st[2]
     * b), in R. mode 0 softmax(a), 1 logSoftmax(a), 2 softmax backward (a = gradOut, b = out),
     * 3 logSoftmax backward (a = gradOut, b = out).
     */
    static String softmax(String name, DType t) {
        String c = ctype(t);
        String a = loadR(t, "a", "o1 + j * sa");
        String b = loadR(t, "b", "o2 + j * sb");
        return kernel(name, ", __global " + c + "* out, __global const " + c + "* a, __global const " + c
                        + "* b, long n, long so, long sa, long sb, int mode",
                "if (mode == 0 || mode == 1) {\n"
                + "    R m = -INFINITY; int nan = 0;\n"
                + "    for (long j = 0; j < n; j++) { R x = " + a + "; if (isnan(x)) nan = 1; m = fmax(m, x); }\n"
                + "    if (nan) m = NAN;\n"
                + "    R sum = 0;\n"
                + "    for (long j = 0; j < n; j++) sum += exp(" + a + " - m);\n"
                + "    R lse = log(sum);\n"
                + "    for (long j = 0; j < n; j++) { R x = " + a + " - m; "
                + storeR(t, "out", "o0 + j * so", "mode == 0 ? exp(x) / sum : x - lse") + " }\n"
                + "  } else if (mode == 2) {\n"
                + "    R dot = 0;\n"
                + "    for (long j = 0; j < n; j++) dot += " + a + " * " + b + ";\n"
                + "    for (long j = 0; j < n; j++) { R y = " + b + "; R go = " + a + "; "
                + storeR(t, "out", "o0 + j * so", "y * (go - dot)") + " }\n"
                + "  } else {\n"
                + "    R total = 0;\n"
                + "    for (long j = 0; j < n; j++) total += " + a + ";\n"
                + "    for (long j = 0; j < n; j++) { R y = " + b + "; R go = " + a + "; "
                + storeR(t, "out", "o0 + j * so", "go - exp(y) * total") + " }\n"
                + "  }");
    }

    private static String batchPrologue(int tm, int tn) {
        return "  long tilesN = (N + " + (tn - 1) + ") / " + tn + ", tilesM = (M + " + (tm - 1) + ") / " + tm + ";\n"
                + "  long id = get_global_id(0); if (id >= g.numel * tilesM * tilesN) return;\n"
                + "  long tj = id % tilesN; long ti = (id / tilesN) % tilesM; long batch = id / (tilesN * tilesM);\n"
                + "  long o0 = g.off[0], o1 = g.off[1], o2 = g.off[2];\n"
                + "  { long rem = batch; for (int d = (int) g.rank - 1; d >= 0; d--) { long sz = g.shape[d]; long cc = rem % sz; rem /= sz;"
                + " o0 += cc * g.st[0][d]; o1 += cc * g.st[1][d]; o2 += cc * g.st[2][d]; } }\n"
                + "  long i0 = ti * " + tm + ", j0 = tj * " + tn + ";\n";
    }

    /**
     * float32 GEMM for a b whose rows are dense (column stride 1): each work item computes 8 rows x 8
     * columns as eight float8 accumulators, loading a row of b with one vload8 and using it 8 times.
     */
    static String gemmRows(String name) {
        StringBuilder k = new StringBuilder();
        k.append("__kernel void ").append(name).append("(geom g, __global float* out, __global const float* a, __global const float* b,"
                + " long M, long N, long K, long som, long son, long sam, long sak, long sbk) {\n");
        k.append(batchPrologue(8, 8));
        for (int r = 0; r < 8; r++) {
            k.append("  long r").append(r).append(" = o1 + min(i0 + ").append(r).append(", M - 1) * sam; float8 c").append(r).append(" = 0;\n");
        }
        k.append("  if (j0 + 8 <= N) {\n    __global const float* bp = b + o2 + j0;\n"
                + "    for (long k = 0; k < K; k++) {\n      float8 bv = vload8(0, bp + k * sbk); long ka = k * sak;\n");
        for (int r = 0; r < 8; r++) {
            k.append("      c").append(r).append(" = fma((float8) a[r").append(r).append(" + ka], bv, c").append(r).append(");\n");
        }
        k.append("    }\n  } else {\n    for (long k = 0; k < K; k++) {\n      float bs[8];\n"
                + "      for (int q = 0; q < 8; q++) bs[q] = b[o2 + min(j0 + q, N - 1) + k * sbk];\n"
                + "      float8 bv = vload8(0, bs); long ka = k * sak;\n");
        for (int r = 0; r < 8; r++) {
            k.append("      c").append(r).append(" = fma((float8) a[r").append(r).append(" + ka], bv, c").append(r).append(");\n");
        }
        k.append("    }\n  }\n");
        for (int r = 0; r < 8; r++) {
            k.append("  if (i0 + ").append(r).append(" < M) { __global float* op = out + o0 + (i0 + ").append(r).append(") * som;\n")
                    .append("    if (j0 + 8 <= N && son == 1) vstore8(c").append(r).append(", 0, op + j0);\n")
                    .append("    else { float cs[8]; vstore8(c").append(r).append(", 0, cs); for (int q = 0; q < 8; q++) if (j0 + q < N) op[(j0 + q) * son] = cs[q]; } }\n");
        }
        return k.append("}\n").toString();
    }

    /**
     * float32 GEMM for a and b both dense along k (a @ b.T, as a linear layer computes): each work item
     * computes 4 x 4 dot products, eight k at a time with vload8, then sums the lanes.
     */
    static String gemmDots(String name) {
        StringBuilder k = new StringBuilder();
        k.append("__kernel void ").append(name).append("(geom g, __global float* out, __global const float* a, __global const float* b,"
                + " long M, long N, long K, long som, long son, long sam, long sbn) {\n");
        k.append(batchPrologue(4, 4));
        for (int r = 0; r < 4; r++) {
            k.append("  __global const float* a").append(r).append(" = a + o1 + min(i0 + ").append(r).append(", M - 1) * sam;\n");
            k.append("  __global const float* b").append(r).append(" = b + o2 + min(j0 + ").append(r).append(", N - 1) * sbn;\n");
        }
        for (int r = 0; r < 4; r++) {
            for (int q = 0; q < 4; q++) {
                k.append("  float8 c").append(r).append(q).append(" = 0;");
            }
            k.append("\n");
        }
        k.append("  long k = 0;\n  for (; k + 8 <= K; k += 8) {\n");
        for (int r = 0; r < 4; r++) {
            k.append("    float8 av").append(r).append(" = vload8(0, a").append(r).append(" + k); float8 bv").append(r)
                    .append(" = vload8(0, b").append(r).append(" + k);\n");
        }
        for (int r = 0; r < 4; r++) {
            for (int q = 0; q < 4; q++) {
                k.append("    c").append(r).append(q).append(" = fma(av").append(r).append(", bv").append(q).append(", c").append(r).append(q).append(");");
            }
            k.append("\n");
        }
        k.append("  }\n");
        for (int r = 0; r < 4; r++) {
            for (int q = 0; q < 4; q++) {
                String c = "c" + r + q;
                k.append("  { float s = (").append(c).append(".s0 + ").append(c).append(".s1) + (").append(c).append(".s2 + ").append(c)
                        .append(".s3) + ((").append(c).append(".s4 + ").append(c).append(".s5) + (").append(c).append(".s6 + ").append(c)
                        .append(".s7));\n    for (long kk = k; kk < K; kk++) s = fma(a").append(r).append("[kk], b").append(q)
                        .append("[kk], s);\n    if (i0 + ").append(r).append(" < M && j0 + ").append(q).append(" < N) out[o0 + (i0 + ")
                        .append(r).append(") * som + (j0 + ").append(q).append(") * son] = s; }\n");
            }
        }
        return k.append("}\n").toString();
    }

    /** A 4-d tensor as the pooling kernels take it (offset, four strides, four sizes), and the pooling geometry. */
    static final String T4 = "typedef struct { long off; long s0, s1, s2, s3; long d0, d1, d2, d3; } t4;\n"
            + "#define AT(t, a, b, c, d) ((t).off + (a) * (t).s0 + (b) * (t).s1 + (c) * (t).s2 + (d) * (t).s3)\n"
            + "typedef struct { long kh, kw, sh, sw, ph, pw, dh, dw, ceil, cip, groups; } pp;\n";

    /** Pooling, NCHW. mode 0 max forward (one work item per output), 1 avg forward, 2 max backward and 3 avg backward (one per plane). */
    static String pool(String name, DType t) {
        String c = ctype(t);
        return T4 + "__kernel void " + name + "(t4 to, t4 ti, t4 tx, pp p, __global " + c + "* out, __global long* idx, __global const "
                + c + "* in, int mode) {\n"
                + "  long gid = get_global_id(0);\n"
                + "  if (mode <= 1) {\n"
                + "    long OW = to.d3, OH = to.d2, C = to.d1; if (gid >= to.d0 * C * OH * OW) return;\n"
                + "    long ow = gid % OW, oh = (gid / OW) % OH, ch = (gid / (OW * OH)) % C, n = gid / (OW * OH * C);\n"
                + "    long H = tx.d2, W = tx.d3;\n"
                + "    long hs = oh * p.sh - p.ph, ws = ow * p.sw - p.pw;\n"
                + "    if (mode == 0) {\n"
                + "      R best = -INFINITY; long bi = -1;\n"
                + "      for (long i = 0; i < p.kh; i++) { long h = hs + i * p.dh; if (h < 0 || h >= H) continue;\n"
                + "        for (long j = 0; j < p.kw; j++) { long w = ws + j * p.dw; if (w < 0 || w >= W) continue;\n"
                + "          R v = " + loadR(t, "in", "AT(tx, n, ch, h, w)") + ";\n"
                + "          if (bi < 0 || v > best || isnan(v)) { best = v; bi = h * W + w; } } }\n"
                + "      " + storeR(t, "out", "AT(to, n, ch, oh, ow)", "best") + "\n"
                + "      idx[AT(ti, n, ch, oh, ow)] = bi;\n"
                + "    } else {\n"
                + "      long he = min(hs + p.kh, H + p.ph), we = min(ws + p.kw, W + p.pw);\n"
                + "      long size = (he - hs) * (we - ws);\n"
                + "      long h0 = max(hs, 0L), w0 = max(ws, 0L), h1 = min(he, H), w1 = min(we, W);\n"
                + "      R sum = 0;\n"
                + "      for (long h = h0; h < h1; h++) for (long w = w0; w < w1; w++) sum += " + loadR(t, "in", "AT(tx, n, ch, h, w)") + ";\n"
                + "      long div = p.cip ? size : (h1 - h0) * (w1 - w0);\n"
                + "      " + storeR(t, "out", "AT(to, n, ch, oh, ow)", "(h0 >= h1 || w0 >= w1) ? (R) 0 : sum / (R) div") + "\n"
                + "    }\n"
                + "  } else {\n"
                // backward: out is gradInput (to), in is gradOut (tx), idx the indices (ti); one work item per plane
                + "    long C = to.d1; if (gid >= to.d0 * C) return;\n"
                + "    long ch = gid % C, n = gid / C; long H = to.d2, W = to.d3, OH = tx.d2, OW = tx.d3;\n"
                + "    for (long h = 0; h < H; h++) for (long w = 0; w < W; w++) " + storeR(t, "out", "AT(to, n, ch, h, w)", "0") + "\n"
                + "    for (long oh = 0; oh < OH; oh++) for (long ow = 0; ow < OW; ow++) {\n"
                + "      R g = " + loadR(t, "in", "AT(tx, n, ch, oh, ow)") + ";\n"
                + "      if (mode == 2) {\n"
                + "        long k = idx[AT(ti, n, ch, oh, ow)]; long h = k / W, w = k % W; long at = AT(to, n, ch, h, w);\n"
                + "        " + storeR(t, "out", "at", loadR(t, "out", "at") + " + g") + "\n"
                + "      } else {\n"
                + "        long hs = oh * p.sh - p.ph, ws = ow * p.sw - p.pw;\n"
                + "        long he = min(hs + p.kh, H + p.ph), we = min(ws + p.kw, W + p.pw);\n"
                + "        long size = (he - hs) * (we - ws);\n"
                + "        long h0 = max(hs, 0L), w0 = max(ws, 0L), h1 = min(he, H), w1 = min(we, W);\n"
                + "        long div = p.cip ? size : (h1 - h0) * (w1 - w0);\n"
                + "        for (long h = h0; h < h1; h++) for (long w = w0; w < w1; w++) { long at = AT(to, n, ch, h, w);\n"
                + "          " + storeR(t, "out", "at", loadR(t, "out", "at") + " + g / (R) div") + " }\n"
                + "      }\n"
                + "    }\n"
                + "  }\n"
                + "}\n";
    }

    /** The geometry of a convolution as the im2col and col2im kernels take it. */
    static final String CONV = "typedef struct { long kh, kw, oh, ow, sh, sw, ph, pw, dh, dw; } cp;\n";

    /**
     * im2col, NCHW: one work item per column element of {@code count} = samples * C*KH*KW * OH*OW;
     * element (n, ck, p) of the columns lies at {@code n * sn + ck * sck + p}, input sample {@code n0 + n}.
     */
    static String im2col(String name, DType t) {
        String c = ctype(t);
        return T4 + CONV + "__kernel void " + name + "(t4 ti, cp p, __global " + c + "* cols, __global const " + c
                + "* in, long count, long n0, long sn, long sck) {\n"
                + "  long gid = get_global_id(0); if (gid >= count) return;\n"
                + "  long L = p.oh * p.ow, KK = p.kh * p.kw, CKK = ti.d1 * KK;\n"
                + "  long q = gid % L, ck = (gid / L) % CKK, n = gid / (L * CKK);\n"
                + "  long ch = ck / KK, kk = ck % KK, i = kk / p.kw, j = kk % p.kw, oh = q / p.ow, ow = q % p.ow;\n"
                + "  long h = oh * p.sh - p.ph + i * p.dh, w = ow * p.sw - p.pw + j * p.dw;\n"
                + "  " + c + " v = (h >= 0 && h < ti.d2 && w >= 0 && w < ti.d3) ? in[AT(ti, n0 + n, ch, h, w)] : (" + c + ") 0;\n"
                + "  cols[n * sn + ck * sck + q] = v;\n"
                + "}\n";
    }

    /**
     * col2im, NCHW: one work item per input element of {@code count} = samples * C * H * W, which sums
     * the column elements its windows read (no atomics); columns laid out as in {@link #im2col}.
     */
    static String col2im(String name, DType t) {
        String c = ctype(t);
        return T4 + CONV + "__kernel void " + name + "(t4 to, cp p, __global " + c + "* out, __global const " + c
                + "* cols, long count, long n0, long sn, long sck) {\n"
                + "  long gid = get_global_id(0); if (gid >= count) return;\n"
                + "  long H = to.d2, W = to.d3, C = to.d1;\n"
                + "  long w = gid % W, h = (gid / W) % H, ch = (gid / (W * H)) % C, n = gid / (W * H * C);\n"
                + "  long KK = p.kh * p.kw; R sum = 0;\n"
                + "  for (long i = 0; i < p.kh; i++) { long th = h + p.ph - i * p.dh; if (th < 0 || th % p.sh != 0) continue;\n"
                + "    long oh = th / p.sh; if (oh >= p.oh) continue;\n"
                + "    for (long j = 0; j < p.kw; j++) { long tw = w + p.pw - j * p.dw; if (tw < 0 || tw % p.sw != 0) continue;\n"
                + "      long ow = tw / p.sw; if (ow >= p.ow) continue;\n"
                + "      sum += (R) cols[n * sn + (ch * KK + i * p.kw + j) * sck + oh * p.ow + ow]; } }\n"
                + "  out[AT(to, n0 + n, ch, h, w)] = (" + c + ") sum;\n"
                + "}\n";
    }
}
