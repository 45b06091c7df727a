package ignis.backend.simd;

import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.spi.ComputePool;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * 3x3 convolutions with stride 1 in float32 by Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray,
 * "Fast algorithms for convolutional neural networks", 2016): each 2x2 block of outputs, a tile, is
 * {@code A^T [(G g G^T) . (B^T d B)] A} for the 4x4 inputs d under it and each 3x3 kernel g, 16
 * multiplications per channel pair where direct sums take 36. Summed over the input channels, the 16
 * products of a tile are 16 matrix products, one per position {@code xi} of the 4x4 transforms:
 * {@code M[xi] (Cout x tiles) = U[xi] (Cout x Cin) * V[xi] (Cin x tiles)}, computed by {@link GemmFloat}.
 *
 * <p>The batch is cut into chunks of whole samples of about {@link #TILES} tiles, split over the
 * {@link ComputePool}. Per chunk: the input planes are copied into zero-padded planes whose rows hold
 * their even columns, then their odd ones, so that the inputs of the tiles along a tile row are four
 * plain loads per row of the 4x4 blocks; the input transforms go straight into the packed panels of b;
 * the output transforms of 16 tiles at a time, their lanes interleaved, give the tiles' output rows one
 * after the other, which are copied to the output planes. The input gradient of such a convolution is one
 * too (the kernels flipped, the channels swapped, the padding {@code 2 - p}), and goes through the same
 * code. The weight gradient is the gradient of the factors U, 16 products summed over the tiles, the
 * input transforms as their first factors ({@link #backwardWeight}).
 *
 * <p>The transforms' coefficients are 0, 1 and 1/2, exact in binary; the result differs from direct sums
 * by rounding only, within a few units of the last place of the sum of the terms' magnitudes.
 */
final class Winograd3x3 {

    private static final VectorSpecies<Float> FLOATS = Gemm.FLOATS.species();
    private static final int LANES = FLOATS.length();
    private static final VectorMask<Float> EVEN = VectorMask.fromLong(FLOATS, 0x5555_5555_5555_5555L);
    private static final VectorMask<Float> ODD = VectorMask.fromLong(FLOATS, 0xAAAA_AAAA_AAAA_AAAAL);
    private static final VectorMask<Float> LOW_HALF = VectorMask.fromLong(FLOATS, (1L << (LANES / 2)) - 1);
    /** Lanes 0, 1, 2, .. of two vectors interleaved: the first half of them, then the second. */
    private static final VectorShuffle<Float> ZIP_LOW = zip(0);
    private static final VectorShuffle<Float> ZIP_HIGH = zip(LANES / 2);

    /** Tiles a chunk aims at: its transforms (16 x channels x tiles) then stay near the core's L2. */
    static final int TILES = 256;
    /**
     * The fewest input and output channels for which the transforms cost less than they save: they are a
     * fixed cost per channel and tile, the multiplications they save grow with the other channel count.
     */
    static final int MIN_CHANNELS = 16;

    /**
     * Per-thread buffers: padded input planes, packed input transforms, rows of d B of one channel, top and
     * bottom output rows of one channel (in the weight gradient: the output gradient's transforms and planes),
     * and (on a calling thread) the transformed weights. JDK arrays only (see ConvKernels.Scratch).
     */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[6][0]);
    private static final int WEIGHTS = 5;
    /** Positions of a 4x4 transform: products per tile and channel pair. */
    private static final int XI = 16;
    /** Per-thread native buffers: the products of one chunk (the c of the GEMM), and (on a calling thread) the weight gradient's partial sums. */
    private static final ThreadLocal<MemorySegment[]> PRODUCTS = ThreadLocal.withInitial(() -> new MemorySegment[] {MemorySegment.NULL, MemorySegment.NULL});
    private static final int SUMS = 1;

    private Winograd3x3() {
    }

    private static VectorShuffle<Float> zip(int from) {
        int[] lanes = new int[LANES];
        for (int l = 0; l < LANES / 2; l++) {
            lanes[2 * l] = from + l;
            lanes[2 * l + 1] = LANES + from + l;
        }
        return VectorShuffle.fromArray(FLOATS, lanes, 0);
    }

    /** Whether this class computes the forward and input gradient of {@code g}. */
    static boolean handles(ConvKernels.Geometry g) {
        return !g.wide() && g.kh() == 3 && g.kw() == 3 && g.sh() == 1 && g.sw() == 1 && g.dh() == 1 && g.dw() == 1
                && g.groups() == 1 && g.ph() <= 2 && g.pw() <= 2 && g.c() >= MIN_CHANNELS && g.oc() >= MIN_CHANNELS;
    }

    /** out = conv(x, w) + bias (bias may be null), all dense from their offsets. */
    static void forward(ConvKernels.Geometry g, MemorySegment x, long xOff, MemorySegment w, long wOff, MemorySegment bias,
                        long biasOff, MemorySegment out, long outOff) {
        float[] u = transformWeights(g.oc(), g.c(), w, wOff, 9L * g.c(), 9, false);
        Plan plan = Plan.of(g);
        plan.run(x, xOff, out, outOff, u, bias, biasOff);
    }

    /** gradInput = the convolution of gradOut with the flipped kernels from output to input channels, padding 2 - p. */
    static void backwardInput(ConvKernels.Geometry g, MemorySegment gradOut, long gradOutOff, MemorySegment w, long wOff,
                              MemorySegment gradInput, long gradInputOff) {
        float[] u = transformWeights(g.c(), g.oc(), w, wOff, 9, 9L * g.c(), true);
        Plan plan = new Plan(g.n(), g.oc(), g.oh(), g.ow(), g.c(), g.h(), g.w(), 2 - g.ph(), 2 - g.pw());
        plan.run(gradOut, gradOutOff, gradInput, gradInputOff, u, null, 0);
    }

    /**
     * gradWeight = the weight gradient, as the gradient of the products' factor U: per xi, {@code dU[xi] =
     * sum over tiles of (A dY A^T)[xi] V[xi]}, {@code dW = G^T dU G}, the sums over the chunks by
     * {@link PartialSums}.
     */
    static void backwardWeight(ConvKernels.Geometry g, MemorySegment x, long xOff, MemorySegment gradOut, long gradOutOff,
                               MemorySegment gradWeight, long gradWeightOff) {
        Plan plan = Plan.of(g);
        int chunks = plan.chunks();
        MemorySegment sums = PartialSums.over(chunks, XI * g.c() * g.oc(), PRODUCTS.get(), SUMS,
                (chunk, into, intoOff) -> plan.chunk(chunk, chunks).weightGradient(x, xOff, gradOut, gradOutOff, into, intoOff));
        transformWeightGradient(g.oc(), g.c(), sums, gradWeight, gradWeightOff);
    }

    /** {@code dW[o][i] = G^T dU[o][i] G} of the sums {@code dU[xi][i][o]}, into the dense [o][i][3][3] gradWeight. */
    private static void transformWeightGradient(int cout, int cin, MemorySegment sums, MemorySegment gw, long gwOff) {
        double[] du = new double[XI];
        double[] t = new double[12];
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < cin; i++) {
                for (int xi = 0; xi < XI; xi++) {
                    du[xi] = sums.getAtIndex(FLOAT, ((long) xi * cin + i) * cout + o);
                }
                // rows: G^T dU, 3 x 4
                for (int b = 0; b < 4; b++) {
                    t[b] = du[b] + (du[4 + b] + du[8 + b]) / 2;
                    t[4 + b] = (du[4 + b] - du[8 + b]) / 2;
                    t[8 + b] = (du[4 + b] + du[8 + b]) / 2 + du[12 + b];
                }
                long at = gwOff + ((long) o * cin + i) * 9;
                for (int ki = 0; ki < 3; ki++) {
                    double r0 = t[4 * ki];
                    double r1 = t[4 * ki + 1];
                    double r2 = t[4 * ki + 2];
                    double r3 = t[4 * ki + 3];
                    gw.setAtIndex(FLOAT, at + 3 * ki, (float) (r0 + (r1 + r2) / 2));
                    gw.setAtIndex(FLOAT, at + 3 * ki + 1, (float) ((r1 - r2) / 2));
                    gw.setAtIndex(FLOAT, at + 3 * ki + 2, (float) ((r1 + r2) / 2 + r3));
                }
            }
        }
    }

    /** The nine weights of the 3x3 kernel at {@code base} into {@code k}, row by row (backwards if {@code flip}: the kernel turned by 180 degrees). */
    static void readKernel(MemorySegment w, long base, boolean flip, double[] k) {
        for (int e = 0; e < 9; e++) {
            k[e] = w.getAtIndex(FLOAT, base + (flip ? 8 - e : e));
        }
    }

    /**
     * U[xi] = (G g G^T)[xi] for every kernel g from input channel i to output channel o, the kernel at
     * {@code wOff + o * outStride + i * inStride} (read backwards if {@code flip}): 16 blocks of a
     * ({@link GemmFloat.BlocksOfA}, cout rows, cin columns), one per xi.
     */
    private static float[] transformWeights(int cout, int cin, MemorySegment w, long wOff, long outStride, long inStride, boolean flip) {
        GemmFloat.BlocksOfA blocks = new GemmFloat.BlocksOfA(cout);
        int size = blocks.size(cin);
        // entries past cout rows or cin columns are never read into a result
        float[] u = GrowingBuffers.floats(BUFFERS.get(), WEIGHTS, XI * size);
        double[] k = new double[9];
        double[] t = new double[12];
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < cin; i++) {
                readKernel(w, wOff + o * outStride + i * inStride, flip, k);
                for (int j = 0; j < 3; j++) {
                    t[j] = k[j];
                    t[3 + j] = (k[j] + k[3 + j] + k[6 + j]) / 2;
                    t[6 + j] = (k[j] - k[3 + j] + k[6 + j]) / 2;
                    t[9 + j] = k[6 + j];
                }
                int at = blocks.vector(i) + blocks.row(o);
                for (int a = 0; a < 4; a++) {
                    double r0 = t[3 * a];
                    double r1 = t[3 * a + 1];
                    double r2 = t[3 * a + 2];
                    int xi = 4 * a;
                    u[xi * size + at] = (float) r0;
                    u[(xi + 1) * size + at] = (float) ((r0 + r1 + r2) / 2);
                    u[(xi + 2) * size + at] = (float) ((r0 - r1 + r2) / 2);
                    u[(xi + 3) * size + at] = (float) r2;
                }
            }
        }
        return u;
    }

    /** A 3x3 stride-1 convolution of n samples of cin planes h x w into cout planes oh x ow, padding ph, pw. */
    private record Plan(int n, int cin, int h, int w, int cout, int oh, int ow, int ph, int pw) {

        /** The forward convolution of {@code g}. */
        static Plan of(ConvKernels.Geometry g) {
            return new Plan(g.n(), g.c(), g.h(), g.w(), g.oc(), g.oh(), g.ow(), g.ph(), g.pw());
        }

        int tilesHigh() {
            return (oh + 1) / 2;
        }

        int tilesWide() {
            return (ow + 1) / 2;
        }

        /** Rows of a padded input plane: those the tiles read. */
        int paddedHigh() {
            return 2 * tilesHigh() + 2;
        }

        /** Elements per row of a padded input plane: those the tiles read, rounded up to whole vectors. */
        int paddedStride() {
            return Math.ceilDiv(2 * tilesWide() + 2, LANES) * LANES;
        }

        /** How many chunks the batch is cut into: a multiple of the threads where the batch allows. */
        int chunks() {
            return ConvKernels.Chunks.count(n, TILES / (tilesHigh() * tilesWide()));
        }

        /** Chunk {@code chunk} of {@code count}. */
        Chunk chunk(long chunk, int count) {
            int s0 = (int) (chunk * n / count);
            int s1 = (int) ((chunk + 1) * n / count);
            return new Chunk(this, s0, s1 - s0);
        }

        void run(MemorySegment in, long inOff, MemorySegment out, long outOff, float[] u, MemorySegment bias, long biasOff) {
            int count = chunks();
            ComputePool.forRange(count, 1, (from, to) -> {
                for (long chunk = from; chunk < to; chunk++) {
                    chunk(chunk, count).run(in, inOff, out, outOff, u, bias, biasOff);
                }
            });
        }
    }

    /** The samples {@code s0 .. s0 + samples - 1} of a plan, on one thread. */
    private record Chunk(Plan p, int s0, int samples) {

        int tiles() {
            return samples * p.tilesHigh() * p.tilesWide();
        }

        void run(MemorySegment in, long inOff, MemorySegment out, long outOff, float[] u, MemorySegment bias, long biasOff) {
            GemmFloat.PanelsOfB inputs = Gemm.FLOATS.panelsOfB(p.cin);
            // whole panels: every tile of the product goes to c as vectors
            int columns = Math.ceilDiv(tiles(), inputs.nr()) * inputs.nr();
            int vStride = spaced(inputs.size(columns));
            float[] v = inputTransforms(in, inOff, inputs, columns, vStride);
            int mStride = spaced(p.cout * columns);
            MemorySegment m = products(0, (long) XI * mStride * Float.BYTES);
            int uSize = new GemmFloat.BlocksOfA(p.cout).size(p.cin);
            for (int xi = 0; xi < XI; xi++) {
                Gemm.FLOATS.gemmPacked(p.cout, columns, p.cin, u, xi * uSize, v, xi * vStride, m, (long) xi * mStride, columns,
                        false);
            }
            // slack: the last row's vector runs past the last tile
            float[][] buffers = BUFFERS.get();
            transformOutput(m, mStride, columns, bias, biasOff, out, outOff, GrowingBuffers.floats(buffers, 3, 2 * columns + LANES),
                    GrowingBuffers.floats(buffers, 4, 2 * columns + LANES));
        }

        /** The input transforms of the chunk, {@link #transformInput}, in the per-thread buffer they return. */
        private float[] inputTransforms(MemorySegment in, long inOff, GemmFloat.Packing packing, int columns, int vStride) {
            float[][] buffers = BUFFERS.get();
            // slack: the loads of a row's odd columns run past its end
            float[] padded = GrowingBuffers.floats(buffers, 0, p.cin * samples * p.paddedHigh() * p.paddedStride() + LANES);
            pad(in, inOff, padded);
            float[] v = GrowingBuffers.floats(buffers, 1, XI * vStride);
            transformInput(padded, GrowingBuffers.floats(buffers, 2, XI * spaced(columns) + LANES), v, vStride, packing, columns);
            return v;
        }

        /**
         * Adds this chunk's dU[xi] ({@code cin x cout}, transposed) to the sums from {@code sumsOff}: the input
         * transforms as blocks of a (cin rows, a column per tile), the output gradient's as panels of b (a row
         * per tile, a column per output channel), the tiles past the last zero in both.
         */
        void weightGradient(MemorySegment in, long inOff, MemorySegment gradOut, long gradOutOff, MemorySegment sums, long sumsOff) {
            int depth = Math.ceilDiv(tiles(), LANES) * LANES;
            GemmFloat.BlocksOfA inputs = new GemmFloat.BlocksOfA(p.cin);
            int vStride = spaced(inputs.size(depth));
            float[] v = inputTransforms(in, inOff, inputs, depth, vStride);
            float[][] buffers = BUFFERS.get();
            int plane = p.oh * p.ow;
            float[] grad = GrowingBuffers.floats(buffers, 4, samples * p.cout * plane);
            MemorySegment.copy(gradOut, FLOAT, (gradOutOff + (long) s0 * p.cout * plane) * Float.BYTES, grad, 0, samples * p.cout * plane);
            GemmFloat.PanelsOfB grads = Gemm.FLOATS.panelsOfB(depth);
            int gStride = spaced(grads.size(p.cout));
            float[] g = GrowingBuffers.floats(buffers, 3, XI * gStride);
            transformGradient(grad, g, gStride, grads, depth);
            int size = p.cin * p.cout;
            for (int xi = 0; xi < XI; xi++) {
                Gemm.FLOATS.gemmPacked(p.cin, p.cout, depth, v, xi * vStride, g, xi * gStride, sums, sumsOff + (long) xi * size, p.cout,
                        true);
            }
        }

        /**
         * (A dY A^T)[xi] of every tile, 16 output channels at a time (gathered from their planes), as a row of
         * the panels of b per tile, one set of panels per xi; rows from the last tile to {@code depth} zero.
         */
        private void transformGradient(float[] grad, float[] g, int gStride, GemmFloat.PanelsOfB panels, int depth) {
            int plane = p.oh * p.ow;
            int across = p.tilesWide();
            int perSample = p.tilesHigh() * across;
            int tiles = tiles();
            // lanes past the last channel read its plane again (the gathers check every lane), masked off
            int[] channels = new int[Math.ceilDiv(p.cout, LANES) * LANES];
            for (int o = 0; o < channels.length; o++) {
                channels[o] = (Math.min(o, p.cout - 1) - o / LANES * LANES) * plane;
            }
            FloatVector zero = FloatVector.zero(FLOATS);
            float[] quad = new float[4 * LANES];
            for (int t = 0; t < depth; t++) {
                int s = t / perSample;
                int r = t % perSample;
                int y = 2 * (r / across);
                int x = 2 * (r % across);
                boolean right = x + 1 < p.ow;
                boolean below = y + 1 < p.oh;
                for (int o0 = 0; o0 < p.cout; o0 += LANES) {
                    int at = panels.vector(o0) + panels.row(t);
                    if (t >= tiles) {
                        for (int xi = 0; xi < XI; xi++) {
                            zero.intoArray(g, at + xi * gStride);
                        }
                        continue;
                    }
                    VectorMask<Float> live = FLOATS.indexInRange(o0, p.cout);
                    int base = (s * p.cout + o0) * plane + y * p.ow + x;
                    // dY00, dY01, dY10, dY11 into quad from one gather in a loop: four gathers inline made the method too large for C2 to inline its vector operations
                    for (int q = 0; q < 4; q++) {
                        boolean inside = (q % 2 == 0 || right) && (q < 2 || below);
                        FloatVector d = inside ? FloatVector.fromArray(FLOATS, grad, base + (q / 2) * p.ow + q % 2, channels, o0, live) : zero;
                        d.intoArray(quad, q * LANES);
                    }
                    FloatVector d00 = FloatVector.fromArray(FLOATS, quad, 0);
                    FloatVector d01 = FloatVector.fromArray(FLOATS, quad, LANES);
                    FloatVector d10 = FloatVector.fromArray(FLOATS, quad, 2 * LANES);
                    FloatVector d11 = FloatVector.fromArray(FLOATS, quad, 3 * LANES);
                    // A dY: rows dY0, dY0 + dY1, dY0 - dY1, -dY1; then each row (u, v) times A^T: u, u + v, u - v, -v
                    gradientRow(d00, d01, g, at, gStride);
                    gradientRow(d00.add(d10), d01.add(d11), g, at + 4 * gStride, gStride);
                    gradientRow(d00.sub(d10), d01.sub(d11), g, at + 8 * gStride, gStride);
                    gradientRow(d10.neg(), d11.neg(), g, at + 12 * gStride, gStride);
                }
            }
        }

        private static void gradientRow(FloatVector u, FloatVector v, float[] g, int at, int gStride) {
            u.intoArray(g, at);
            u.add(v).intoArray(g, at + gStride);
            u.sub(v).intoArray(g, at + 2 * gStride);
            v.neg().intoArray(g, at + 3 * gStride);
        }

        /**
         * Each input plane of the chunk into {@code padded}, channel-major ([i][s][row]), zeros around; each
         * row as its even columns, then its odd ones (half a row each), so that the columns 2t + b of
         * consecutive tiles t are consecutive.
         */
        private void pad(MemorySegment in, long inOff, float[] padded) {
            int stride = p.paddedStride();
            int half = stride / 2;
            int rows = p.paddedHigh();
            int vectors = stride / LANES;
            VectorMask<Float>[] inside = columnMasks(vectors);
            for (int i = 0; i < p.cin; i++) {
                for (int s = 0; s < samples; s++) {
                    long src = inOff + ((long) (s0 + s) * p.cin + i) * p.h * p.w;
                    int dst = (i * samples + s) * rows * stride;
                    for (int py = 0; py < rows; py++) {
                        int iy = py - p.ph;
                        int row = dst + py * stride;
                        if (iy < 0 || iy >= p.h) {
                            Arrays.fill(padded, row, row + stride, 0f);
                            continue;
                        }
                        long at = src + (long) iy * p.w - p.pw;
                        for (int c = 0; c < vectors; c++) {
                            FloatVector x = load(in, at + (long) c * LANES, inside[c]);
                            x.compress(EVEN).intoArray(padded, row + c * LANES / 2, LOW_HALF);
                            x.compress(ODD).intoArray(padded, row + half + c * LANES / 2, LOW_HALF);
                        }
                    }
                }
            }
        }

        /** Per vector of a padded row, the lanes whose column lies inside the input row. */
        @SuppressWarnings("unchecked")
        private VectorMask<Float>[] columnMasks(int vectors) {
            VectorMask<Float>[] masks = new VectorMask[vectors];
            for (int c = 0; c < vectors; c++) {
                int first = c * LANES - p.pw;
                long bits = 0;
                for (int lane = 0; lane < LANES; lane++) {
                    int col = first + lane;
                    if (col >= 0 && col < p.w) {
                        bits |= 1L << lane;
                    }
                }
                masks[c] = VectorMask.fromLong(FLOATS, bits);
            }
            return masks;
        }

        /**
         * V[xi] = (B^T d B)[xi] of every tile and input channel as cin rows of {@code columns} columns (the
         * panels of b of the forward, or the blocks of a of the weight gradient), one set per xi: per channel, the
         * rows of d B of each run of tiles along a tile row first, from loads of the even and odd columns,
         * then B^T of them for 16 tiles at a time. Columns past the last tile are zero.
         */
        private void transformInput(float[] padded, float[] rows, float[] v, int vStride, GemmFloat.Packing packing, int columns) {
            int stride = p.paddedStride();
            int half = stride / 2;
            int plane = p.paddedHigh() * stride;
            int across = p.tilesWide();
            int perSample = p.tilesHigh() * across;
            int tiles = tiles();
            int rowStride = spaced(columns);
            for (int i = 0; i < p.cin; i++) {
                for (int s = 0; s < samples; s++) {
                    int planeAt = (i * samples + s) * plane;
                    for (int ty = 0; ty < p.tilesHigh(); ty++) {
                        int t = s * perSample + ty * across;
                        for (int tx0 = 0; tx0 < across; tx0 += LANES) {
                            for (int a = 0; a < 4; a++) {
                                rowTransform(padded, planeAt + (2 * ty + a) * stride + tx0, half, rows, 4 * a * rowStride + t + tx0,
                                        rowStride);
                            }
                        }
                    }
                }
                // the columns past the last tile zero: a sum over tiles (the weight gradient) adds them up
                for (int xi = 0; xi < XI; xi++) {
                    Arrays.fill(rows, xi * rowStride + tiles, xi * rowStride + columns, 0f);
                }
                for (int t0 = 0; t0 < columns; t0 += LANES) {
                    columnTransform(rows, rowStride, t0, v, packing.vector(t0) + packing.row(i), vStride);
                }
            }
        }

        /**
         * Row a of d B for the tiles from tx0 along a tile row, their row a of inputs from {@code at} (its
         * even columns, its odd ones {@code half} later): column b of it into {@code rows} at
         * {@code to + b * rowStride}. Lanes past the tile row write on into the next tile row's place (or
         * past the last tile), which is written after.
         */
        private static void rowTransform(float[] padded, int at, int half, float[] rows, int to, int rowStride) {
            FloatVector e0 = FloatVector.fromArray(FLOATS, padded, at);
            FloatVector e1 = FloatVector.fromArray(FLOATS, padded, at + 1);
            FloatVector o0 = FloatVector.fromArray(FLOATS, padded, at + half);
            FloatVector o1 = FloatVector.fromArray(FLOATS, padded, at + half + 1);
            e0.sub(e1).intoArray(rows, to);
            o0.add(e1).intoArray(rows, to + rowStride);
            e1.sub(o0).intoArray(rows, to + 2 * rowStride);
            o0.sub(o1).intoArray(rows, to + 3 * rowStride);
        }

        /** B^T of the four rows of d B of the 16 tiles from t0: V[xi], xi = 4a + b, at {@code at + xi * vStride}. */
        private static void columnTransform(float[] rows, int rowStride, int t0, float[] v, int at, int vStride) {
            for (int b = 0; b < 4; b++) {
                FloatVector r0 = FloatVector.fromArray(FLOATS, rows, b * rowStride + t0);
                FloatVector r1 = FloatVector.fromArray(FLOATS, rows, (4 + b) * rowStride + t0);
                FloatVector r2 = FloatVector.fromArray(FLOATS, rows, (8 + b) * rowStride + t0);
                FloatVector r3 = FloatVector.fromArray(FLOATS, rows, (12 + b) * rowStride + t0);
                r0.sub(r2).intoArray(v, at + b * vStride);
                r1.add(r2).intoArray(v, at + (4 + b) * vStride);
                r2.sub(r1).intoArray(v, at + (8 + b) * vStride);
                r1.sub(r3).intoArray(v, at + (12 + b) * vStride);
            }
        }

        /**
         * Y = A^T M A + bias of every tile and output channel, the products M[xi] {@code mStride} elements
         * apart in {@code m}, their rows {@code columns} long, into out. Per output channel, 16 tiles at a time: their top rows of two outputs,
         * interleaved, are the tile rows' top output rows one after the other ({@code top}), the bottom rows
         * likewise ({@code bottom}); these are then copied to the planes row by row.
         */
        private void transformOutput(MemorySegment m, int mStride, int columns, MemorySegment bias, long biasOff, MemorySegment out,
                                     long outOff, float[] top, float[] bottom) {
            int across = p.tilesWide();
            int perSample = p.tilesHigh() * across;
            int tiles = tiles();
            float[] y = new float[4 * LANES];
            for (int o = 0; o < p.cout; o++) {
                float b = bias == null ? 0f : bias.getAtIndex(FLOAT, biasOff + o);
                for (int t0 = 0; t0 < tiles; t0 += LANES) {
                    inverse(m, (long) o * columns + t0, mStride, b, y);
                    zip(y, 0, top, 2 * t0);
                    zip(y, 2 * LANES, bottom, 2 * t0);
                }
                for (int s = 0; s < samples; s++) {
                    long plane = outOff + ((long) (s0 + s) * p.cout + o) * p.oh * p.ow;
                    long planeEnd = plane + (long) p.oh * p.ow;
                    for (int ty = 0; ty < p.tilesHigh(); ty++) {
                        int from = 2 * (s * perSample + ty * across);
                        long row = plane + (long) 2 * ty * p.ow;
                        copyRow(top, from, out, row, p.ow, planeEnd - row);
                        if (2 * ty + 1 < p.oh) {
                            copyRow(bottom, from, out, row + p.ow, p.ow, planeEnd - row - p.ow);
                        }
                    }
                }
            }
        }

        /** The two vectors of y from {@code at}, their lanes interleaved, into {@code to} from {@code from}. */
        private static void zip(float[] y, int at, float[] to, int from) {
            FloatVector left = FloatVector.fromArray(FLOATS, y, at);
            FloatVector right = FloatVector.fromArray(FLOATS, y, at + LANES);
            left.rearrange(ZIP_LOW, right).intoArray(to, from);
            left.rearrange(ZIP_HIGH, right).intoArray(to, from + LANES);
        }

        /**
         * {@code count} elements of {@code from} from {@code at} into out from element {@code to}; whole
         * vectors where the plane has {@code room} for them, since what they write past the row is the plane's
         * next rows, written after.
         */
        private static void copyRow(float[] from, int at, MemorySegment out, long to, int count, long room) {
            for (int j = 0; j < count; j += LANES) {
                FloatVector v = FloatVector.fromArray(FLOATS, from, at + j);
                if (room - j >= LANES) {
                    v.intoMemorySegment(out, (to + j) * Float.BYTES, ORDER);
                } else {
                    v.intoMemorySegment(out, (to + j) * Float.BYTES, ORDER, FLOATS.indexInRange(j, count));
                }
            }
        }

        /** A^T M A + bias of 16 tiles, M[xi] from element {@code at + xi * xiStep} of m: y00, y01, y10, y11 into y. */
        private static void inverse(MemorySegment m, long at, long xiStep, float bias, float[] y) {
            // A^T M: rows 0 + 1 + 2 (s) and 1 - 2 - 3 (d) of each column
            FloatVector m0 = load(m, at);
            FloatVector m4 = load(m, at + 4 * xiStep);
            FloatVector m8 = load(m, at + 8 * xiStep);
            FloatVector m12 = load(m, at + 12 * xiStep);
            FloatVector s0 = m0.add(m4).add(m8);
            FloatVector d0 = m4.sub(m8).sub(m12);
            FloatVector m1 = load(m, at + xiStep);
            FloatVector m5 = load(m, at + 5 * xiStep);
            FloatVector m9 = load(m, at + 9 * xiStep);
            FloatVector m13 = load(m, at + 13 * xiStep);
            FloatVector s1 = m1.add(m5).add(m9);
            FloatVector d1 = m5.sub(m9).sub(m13);
            FloatVector m2 = load(m, at + 2 * xiStep);
            FloatVector m6 = load(m, at + 6 * xiStep);
            FloatVector m10 = load(m, at + 10 * xiStep);
            FloatVector m14 = load(m, at + 14 * xiStep);
            FloatVector s2 = m2.add(m6).add(m10);
            FloatVector d2 = m6.sub(m10).sub(m14);
            FloatVector m3 = load(m, at + 3 * xiStep);
            FloatVector m7 = load(m, at + 7 * xiStep);
            FloatVector m11 = load(m, at + 11 * xiStep);
            FloatVector m15 = load(m, at + 15 * xiStep);
            FloatVector s3 = m3.add(m7).add(m11);
            FloatVector d3 = m7.sub(m11).sub(m15);
            // (A^T M) A: columns 0 + 1 + 2 and 1 - 2 - 3
            FloatVector shift = FloatVector.broadcast(FLOATS, bias);
            s0.add(s1).add(s2).add(shift).intoArray(y, 0);
            s1.sub(s2).sub(s3).add(shift).intoArray(y, LANES);
            d0.add(d1).add(d2).add(shift).intoArray(y, 2 * LANES);
            d1.sub(d2).sub(d3).add(shift).intoArray(y, 3 * LANES);
        }

        /** The vector at element {@code at} of m. */
        private static FloatVector load(MemorySegment m, long at) {
            return FloatVector.fromMemorySegment(FLOATS, m, at * Float.BYTES, ORDER);
        }

        /** The lanes of {@code inside} of the vector at element {@code at} of x, zero in the others. */
        private static FloatVector load(MemorySegment x, long at, VectorMask<Float> inside) {
            return FloatVector.fromMemorySegment(FLOATS, x, at * Float.BYTES, ORDER, inside);
        }

    }

    /**
     * The distance between the 16 matrices of a transform of {@code size} elements: a cache line more, so
     * that the 16 rows read or written together do not all fall in the same cache sets (at a power of two
     * apart, they did: the output transform ran 4x slower).
     */
    private static int spaced(int size) {
        return size + LANES;
    }

    private static MemorySegment products(int slot, long bytes) {
        return GrowingBuffers.bytes(PRODUCTS.get(), slot, bytes);
    }
}
