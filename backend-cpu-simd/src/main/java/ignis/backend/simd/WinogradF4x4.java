package ignis.backend.simd;

import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.spi.ComputePool;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 3x3 convolutions with stride 1 in float32 by Winograd's minimal filtering F(4x4, 3x3) (Lavin and
 * Gray, 2016; the points 0, 1, -1, 2, -2): each 4x4 block of outputs, a tile, is
 * {@code A^T [(G g G^T) . (B^T d B)] A} for the 6x6 inputs d under it and each 3x3 kernel g, 36
 * multiplications per channel pair where direct sums take 144 and F(2x2, 3x3) ({@link Winograd3x3}) 64. Summed over the input channels, the products of a tile are 36 matrix products, one per position
 * {@code xi} of the 6x6 transforms: {@code M[xi] (tiles x Cout) = V[xi] (tiles x Cin) * U[xi] (Cin x Cout)},
 * computed by {@link GemmFloat}.
 *
 * <p>The transforms work on 16 channels at once, a channel per lane, so that every tile is whole
 * vectors wherever it lies and however narrow the planes are. The batch is cut into chunks of whole
 * samples of about {@link #TILES} tiles, split over the {@link ComputePool}. Per chunk: the input planes
 * are copied, by 16x16 transposes, into zero-padded planes whose every position holds 16 channels
 * ({@code [sample][block of 16 channels][row][column][16]}); the input transform of a tile is 36 vector
 * loads from there, and its results are runs of 16 columns of the packed blocks of a; the output
 * transform reads 16 output channels of a tile from each product and writes the tile's 16 outputs into
 * planes of the same blocked layout, which are transposed back into the output planes. The input
 * gradient is such a convolution too (the kernels flipped, the channels swapped, the padding
 * {@code 2 - p}). The weight gradient is the gradient of the factors U: per xi, {@code dU[xi] (Cout x
 * Cin) = dM[xi]^T V[xi]}, summed over the tiles, where {@code dM = A dY A^T} are the output gradient's
 * transforms; {@code dW = G^T dU G}. The product sums over the tiles, so dM is computed with a tile per
 * lane, the same tile of 16 samples, from the 16 samples' output gradient planes transposed into one plane
 * of 16 lanes: its results are then the runs of 16 columns of the packed blocks of a.
 *
 * <p>Accuracy: B and A have small integer coefficients, G's (1/4, 1/6, 1/12, 1/24) are applied to the
 * weights in double and rounded once; the results differ from direct sums by about 1e-6 of the sum of
 * the terms' magnitudes (F(2x2, 3x3): 1e-7), the price of the fewer multiplications; the weight
 * gradient by about 5e-7 of the sum of its terms' magnitudes (F(2x2, 3x3): 4e-8).
 */
final class WinogradF4x4 {

    private static final VectorSpecies<Float> FLOATS = Gemm.FLOATS.species();
    private static final int LANES = FLOATS.length();
    /** Positions of a 6x6 transform: products per tile and channel pair. */
    private static final int XI = 36;
    /** Tiles a chunk aims at: its transforms (36 x channels x tiles) and products then stay in the core's L2. */
    static final int TILES = 64;
    /**
     * The most tiles of one sample (outputs up to 64 x 64) this class takes: a chunk holds whole samples,
     * and its buffers grow with them (larger planes go to {@link Winograd3x3}).
     */
    static final int MAX_SAMPLE_TILES = 256;

    /**
     * Per-thread buffers: the blocked input planes, the packed input transforms, one tile's row transforms,
     * the blocked output planes (in the weight gradient: the output gradient's transforms), the output
     * planes of 16 channels (the output gradient's plane of 16 samples) and (on a calling thread) the
     * transformed weights.
     */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[6][0]);
    private static final int BLOCKED = 0;
    private static final int TRANSFORMS = 1;
    private static final int ROWS = 2;
    private static final int OUTPUTS = 3;
    private static final int PLANES = 4;
    private static final int WEIGHTS = 5;
    /**
     * Per-thread native buffers: the products of a chunk (the c of the GEMMs), a block of 16 input rows,
     * (on a calling thread) the weight gradient's partial sums, and the weight gradient's copy of the
     * output gradient. Buffers that the Vector API reads or writes as memory segments are native, like
     * the tensors: one array among them (a heap segment) makes C2 compile every kernel's segment
     * accesses for two kinds of segment, GemmFloat's dot products for instance in 189 KB of code (42 KB
     * without) and 1.2 s of a CNN's first epoch.
     */
    private static final ThreadLocal<MemorySegment[]> SEGMENTS = ThreadLocal.withInitial(
            () -> new MemorySegment[] {MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL});
    private static final int PRODUCTS = 0;
    private static final int INPUT_ROWS = 1;
    private static final int SUMS = 2;
    private static final int GRADIENT = 3;

    private WinogradF4x4() {
    }

    /**
     * Whether this class computes the forward and input gradient of {@code g}: {@link Winograd3x3}'s
     * convolutions, with 16 float lanes, on planes of at most {@link #MAX_SAMPLE_TILES} tiles.
     */
    static boolean handles(ConvKernels.Geometry g) {
        return Transpose16.fits(FLOATS) && Winograd3x3.handles(g) && Plan.of(g).tilesPerSample() <= MAX_SAMPLE_TILES
                && Plan.ofInputGradient(g).tilesPerSample() <= MAX_SAMPLE_TILES;
    }

    /** out = conv(x, w) + bias (bias may be null), all dense from their offsets. */
    static void forward(ConvKernels.Geometry g, MemorySegment x, long xOff, MemorySegment w, long wOff, MemorySegment bias,
                        long biasOff, MemorySegment out, long outOff) {
        float[] u = transformWeights(g.oc(), g.c(), w, wOff, 9L * g.c(), 9, false);
        Plan.of(g).run(x, xOff, u, bias, biasOff, out, outOff);
    }

    /** gradInput = the convolution of gradOut with the flipped kernels from output to input channels, padding 2 - p. */
    static void backwardInput(ConvKernels.Geometry g, MemorySegment gradOut, long gradOutOff, MemorySegment w, long wOff,
                              MemorySegment gradInput, long gradInputOff) {
        float[] u = transformWeights(g.c(), g.oc(), w, wOff, 9, 9L * g.c(), true);
        Plan.ofInputGradient(g).run(gradOut, gradOutOff, u, null, 0, gradInput, gradInputOff);
    }

    /**
     * Whether this class computes the weight gradient of {@code g}: one it {@link #handles}, with whole
     * chunks of 16 samples (a lane each) for every thread, at most an eighth of their lanes empty. Smaller
     * batches go to {@link Winograd3x3}, which cuts them finer.
     */
    static boolean handlesWeightGradient(ConvKernels.Geometry g) {
        int chunks = Math.ceilDiv(g.n(), LANES);
        return handles(g) && chunks >= ComputePool.threads() && chunks * LANES <= g.n() + g.n() / 8;
    }

    /**
     * gradWeight = the weight gradient: {@code dW = G^T dU G} of {@code dU[xi] = dM[xi]^T V[xi]} summed
     * over the tiles of the batch, in chunks of at most 16 samples ({@link PartialSums}); and, unless
     * {@code gradBias} is null, the bias gradient (the output gradient summed per channel) from the planes
     * that the transforms read, after the weights' sums.
     */
    static void backwardWeight(ConvKernels.Geometry g, MemorySegment x, long xOff, MemorySegment gradOut, long gradOutOff,
                               MemorySegment gradWeight, long gradWeightOff, MemorySegment gradBias, long gradBiasOff) {
        Plan plan = Plan.of(g);
        int chunks = Math.ceilDiv(g.n(), LANES);
        int weights = XI * g.c() * g.oc();
        boolean bias = gradBias != null;
        MemorySegment sums = PartialSums.over(chunks, weights + (bias ? g.oc() : 0), SEGMENTS.get(), SUMS,
                (chunk, into, intoOff) -> plan.chunk(chunk, chunks).weightGradient(x, xOff, gradOut, gradOutOff, into, intoOff,
                        bias ? intoOff + weights : -1));
        transformWeightGradient(g.oc(), g.c(), sums, gradWeight, gradWeightOff);
        if (bias) {
            MemorySegment.copy(sums, (long) weights * Float.BYTES, gradBias, gradBiasOff * Float.BYTES, (long) g.oc() * Float.BYTES);
        }
    }

    /**
     * {@code dW[o][i] = G^T dU[o][i] G} of the sums {@code dU[xi][o][i]}, into the dense [o][i][3][3] gradWeight;
     * eight input channels at a time, in double.
     */
    private static void transformWeightGradient(int cout, int cin, MemorySegment sums, MemorySegment gw, long gwOff) {
        VectorSpecies<Float> eight = FloatVector.SPECIES_256;
        int lanes = eight.length();
        double[] du = new double[XI * lanes];
        double[] t = new double[18 * lanes];
        double[] k = new double[9 * lanes];
        for (int o = 0; o < cout; o++) {
            for (int i0 = 0; i0 < cin; i0 += lanes) {
                VectorMask<Float> inside = eight.indexInRange(i0, cin);
                for (int xi = 0; xi < XI; xi++) {
                    long at = ((long) xi * cout + o) * cin + i0;
                    FloatVector row = FloatVector.fromMemorySegment(eight, sums, at * Float.BYTES, ORDER, inside);
                    ((DoubleVector) row.convertShape(VectorOperators.F2D, TileTransforms.DOUBLES, 0)).intoArray(du, xi * lanes);
                }
                // G^T dU: 3 x 6
                for (int b = 0; b < 6; b++) {
                    TileTransforms.kernelGradient(du, b * lanes, 6 * lanes, t, b * lanes, 6 * lanes);
                }
                // (G^T dU) G: row a
                for (int a = 0; a < 3; a++) {
                    TileTransforms.kernelGradient(t, 6 * a * lanes, lanes, k, 3 * a * lanes, lanes);
                }
                for (int i = i0; i < Math.min(cin, i0 + lanes); i++) {
                    for (int e = 0; e < 9; e++) {
                        gw.setAtIndex(FLOAT, gwOff + ((long) o * cin + i) * 9 + e, (float) k[e * lanes + i - i0]);
                    }
                }
            }
        }
    }

    /**
     * U[xi] = (G g G^T)[xi] for every kernel g from input channel i to output channel o, the kernel at
     * {@code wOff + o * outStride + i * inStride} (read backwards if {@code flip}): 36 sets of panels of b
     * ({@link GemmFloat.PanelsOfB}, cin rows, cout columns), one per xi.
     */
    private static float[] transformWeights(int cout, int cin, MemorySegment w, long wOff, long outStride, long inStride, boolean flip) {
        GemmFloat.PanelsOfB panels = Gemm.FLOATS.panelsOfB(cin);
        int size = weightsStride(cin, cout);
        // columns past cout in the last panel are never stored into a result
        float[] u = GrowingBuffers.floats(BUFFERS.get(), WEIGHTS, XI * size);
        double[] k = new double[9];
        double[] t = new double[18];
        double[] row = new double[6];
        // the columns of a panel row lie together: o the inner loop
        for (int i = 0; i < cin; i++) {
            for (int o = 0; o < cout; o++) {
                Winograd3x3.readKernel(w, wOff + o * outStride + i * inStride, flip, k);
                // G g: 6 x 3
                for (int j = 0; j < 3; j++) {
                    TileTransforms.kernel(k[j], k[3 + j], k[6 + j], t, j, 3);
                }
                int at = panels.vector(o) + panels.row(i);
                for (int a = 0; a < 6; a++) {
                    // (G g) G^T: row a
                    TileTransforms.kernel(t[3 * a], t[3 * a + 1], t[3 * a + 2], row, 0, 1);
                    for (int b = 0; b < 6; b++) {
                        u[(6 * a + b) * size + at] = (float) row[b];
                    }
                }
            }
        }
        return u;
    }

    /** A 3x3 stride-1 convolution of n samples of cin planes h x w into cout planes oh x ow, padding ph, pw (at most 2). */
    private record Plan(int n, int cin, int h, int w, int cout, int oh, int ow, int ph, int pw) {

        /** The forward convolution of {@code g}. */
        static Plan of(ConvKernels.Geometry g) {
            return new Plan(g.n(), g.c(), g.h(), g.w(), g.oc(), g.oh(), g.ow(), g.ph(), g.pw());
        }

        /** The convolution that gives the input gradient of {@code g}: from its output to its input planes. */
        static Plan ofInputGradient(ConvKernels.Geometry g) {
            return new Plan(g.n(), g.oc(), g.oh(), g.ow(), g.c(), g.h(), g.w(), 2 - g.ph(), 2 - g.pw());
        }

        int tilesHigh() {
            return Math.ceilDiv(oh, 4);
        }

        int tilesWide() {
            return Math.ceilDiv(ow, 4);
        }

        int tilesPerSample() {
            return tilesHigh() * tilesWide();
        }

        int inBlocks() {
            return Math.ceilDiv(cin, LANES);
        }

        int outBlocks() {
            return Math.ceilDiv(cout, LANES);
        }

        /** Rows of a blocked input plane: the padded rows the tiles read. */
        int inRows() {
            return 4 * tilesHigh() + 2;
        }

        /** Positions per row of a blocked input plane: those the tiles read, and room for whole blocks of 16 input columns. */
        int inColumns() {
            return Math.max(4 * tilesWide() + 2, pw + Math.ceilDiv(w, LANES) * LANES);
        }

        /** Rows of a blocked output plane: those of whole tiles. */
        int outRows() {
            return 4 * tilesHigh();
        }

        /** Positions per row of a blocked output plane: those of whole tiles, and room for whole blocks of 16 output columns. */
        int outColumns() {
            return Math.max(4 * tilesWide(), Math.ceilDiv(ow, LANES) * LANES);
        }

        /** How many chunks the batch is cut into: a multiple of the threads where the batch allows. */
        int chunks() {
            return ConvKernels.Chunks.count(n, TILES / tilesPerSample());
        }

        /** Chunk {@code chunk} of {@code count}. */
        Chunk chunk(long chunk, int count) {
            int s0 = (int) (chunk * n / count);
            int s1 = (int) ((chunk + 1) * n / count);
            return new Chunk(this, s0, s1 - s0);
        }

        void run(MemorySegment in, long inOff, float[] u, MemorySegment bias, long biasOff, MemorySegment out, long outOff) {
            int count = chunks();
            ComputePool.forRange(count, 1, (from, to) -> {
                for (long chunk = from; chunk < to; chunk++) {
                    chunk(chunk, count).run(in, inOff, u, bias, biasOff, out, outOff);
                }
            });
        }
    }

    /** The samples {@code s0 .. s0 + samples - 1} of a plan, on one thread. */
    private record Chunk(Plan p, int s0, int samples) {

        void run(MemorySegment in, long inOff, float[] u, MemorySegment bias, long biasOff, MemorySegment out, long outOff) {
            int tiles = samples * p.tilesPerSample();
            float[][] buffers = BUFFERS.get();
            float[] blocked = GrowingBuffers.floats(buffers, BLOCKED, samples * p.inBlocks() * p.inRows() * p.inColumns() * LANES);
            blockInput(in, inOff, blocked);
            GemmFloat.BlocksOfA inputs = new GemmFloat.BlocksOfA(tiles);
            int vStride = spaced(inputs.size(p.cin));
            float[] v = GrowingBuffers.floats(buffers, TRANSFORMS, XI * vStride);
            float[] rows = GrowingBuffers.floats(buffers, ROWS, XI * LANES);
            transformInput(blocked, v, vStride, inputs, rows, false);
            int ldc = p.outBlocks() * LANES;
            int mStride = spaced(tiles * ldc);
            MemorySegment m = segment(PRODUCTS, (long) XI * mStride * Float.BYTES);
            int uSize = weightsStride(p.cin, p.cout);
            for (int xi = 0; xi < XI; xi++) {
                Gemm.FLOATS.gemmPacked(tiles, p.cout, p.cin, v, xi * vStride, u, xi * uSize, m, (long) xi * mStride, ldc, false);
            }
            float[] y = GrowingBuffers.floats(buffers, OUTPUTS, samples * p.outBlocks() * p.outRows() * p.outColumns() * LANES);
            transformOutput(m, mStride, ldc, bias, biasOff, y, rows);
            unblockOutput(y, out, outOff);
        }

        /**
         * Adds this chunk's {@code dU[xi] (cout x cin) = dM[xi]^T V[xi]} to the sums from {@code sumsOff}:
         * the output gradient's transforms as blocks of a (cout rows, a column per tile), the input
         * transforms as panels of b (a row per tile, a column per input channel), tile (ty, tx) of sample
         * s0 + l in column or row {@code 16 (ty * tilesWide + tx) + l}; those of lanes past the last sample
         * zero. Unless {@code biasOff} is negative, adds the chunk's output gradient per channel to the sums from there.
         */
        void weightGradient(MemorySegment in, long inOff, MemorySegment gradOut, long gradOutOff, MemorySegment sums, long sumsOff,
                            long biasOff) {
            int tiles = LANES * p.tilesPerSample();
            float[][] buffers = BUFFERS.get();
            float[] blocked = GrowingBuffers.floats(buffers, BLOCKED, samples * p.inBlocks() * p.inRows() * p.inColumns() * LANES);
            blockInput(in, inOff, blocked);
            GemmFloat.PanelsOfB inputs = Gemm.FLOATS.panelsOfB(tiles);
            int vStride = spaced(inputs.size(p.cin));
            float[] v = GrowingBuffers.floats(buffers, TRANSFORMS, XI * vStride);
            float[] rows = GrowingBuffers.floats(buffers, ROWS, XI * LANES);
            transformInput(blocked, v, vStride, inputs, rows, true);
            GemmFloat.BlocksOfA grads = new GemmFloat.BlocksOfA(p.cout);
            int gStride = spaced(grads.size(tiles));
            float[] dm = GrowingBuffers.floats(buffers, OUTPUTS, XI * gStride);
            transformGradient(gradOut, gradOutOff, dm, gStride, grads, rows, sums, biasOff);
            int size = p.cin * p.cout;
            for (int xi = 0; xi < XI; xi++) {
                Gemm.FLOATS.gemmPacked(p.cout, p.cin, tiles, dm, xi * gStride, v, xi * vStride, sums, sumsOff + (long) xi * size, p.cin,
                        true);
            }
        }

        /**
         * dM = A dY A^T of every tile and output channel, the same tile of the chunk's samples in the lanes,
         * into the runs of the packed blocks of a (a row per output channel, a column per tile), one set per
         * xi {@code gStride} apart. Per output channel: the samples' planes, transposed by blocks of 16
         * columns into one plane of 16 lanes (zeros past the planes' last rows and columns and in the
         * lanes past the last sample), then per tile A of each of its four columns into {@code rows} and each
         * of the six rows of the result times A^T.
         */
        private void transformGradient(MemorySegment gradOut, long gradOutOff, float[] dm, int gStride, GemmFloat.BlocksOfA grads,
                                       float[] rows, MemorySegment sums, long biasOff) {
            int plane = p.oh * p.ow;
            int rowSize = p.outColumns() * LANES;
            float[][] buffers = BUFFERS.get();
            float[] lanes = GrowingBuffers.floats(buffers, PLANES, p.outRows() * rowSize);
            Arrays.fill(lanes, p.oh * rowSize, p.outRows() * rowSize, 0f);
            // The chunk's 16 samples are read where they are when a vector of room follows them for the rows' last
            // blocks. Otherwise from a copy, with zeros for the lanes past the last sample and that room. (Copying every
            // chunk, the 2-thread weight gradient of conv 32->64 on [64, 32, 14, 14] took 1.13-1.19 ms in a loop of its
            // own and 1.42-1.44 ms after a pass over 16 MB, against 1.11-1.12 and 1.23-1.36 ms.)
            int sampleSize = p.cout * plane;
            long chunkStart = gradOutOff + (long) s0 * sampleSize;
            MemorySegment planes = gradOut;
            long planesOff = chunkStart;
            if (samples < LANES || (chunkStart + (long) LANES * sampleSize + LANES) * Float.BYTES > gradOut.byteSize()) {
                planes = segment(GRADIENT, ((long) LANES * sampleSize + LANES) * Float.BYTES);
                planesOff = 0;
                long filled = (long) samples * sampleSize * Float.BYTES;
                MemorySegment.copy(gradOut, chunkStart * Float.BYTES, planes, 0, filled);
                planes.asSlice(filled, (long) (LANES - samples) * sampleSize * Float.BYTES).fill((byte) 0);
            }
            for (int o = 0; o < p.cout; o++) {
                for (int y = 0; y < p.oh; y++) {
                    int row = y * rowSize;
                    for (int x0 = 0; x0 < p.ow; x0 += LANES) {
                        int at = row + x0 * LANES;
                        Transpose16.block(planes, planesOff + o * plane + y * p.ow + x0, sampleSize, lanes, at, at + 8 * LANES, LANES);
                    }
                    // the last block ran on into the next row
                    Arrays.fill(lanes, row + p.ow * LANES, row + rowSize, 0f);
                }
                if (biasOff >= 0) {
                    addPlaneSum(lanes, p.oh * rowSize, sums, biasOff + o);
                }
                for (int ty = 0; ty < p.tilesHigh(); ty++) {
                    for (int tx = 0; tx < p.tilesWide(); tx++) {
                        int at = 4 * ty * rowSize + 4 * tx * LANES;
                        // A dY: column dx into rows 4a + dx for a < 6
                        for (int dx = 0; dx < 4; dx++) {
                            TileTransforms.gradient(lanes, at + dx * LANES, rowSize, rows, dx * LANES, 4 * LANES);
                        }
                        int to = grads.vector((long) (ty * p.tilesWide() + tx) * LANES) + grads.row(o);
                        for (int a = 0; a < 6; a++) {
                            TileTransforms.gradient(rows, 4 * a * LANES, LANES, dm, to + 6 * a * gStride, gStride);
                        }
                    }
                }
            }
        }

        /** Adds the first {@code length} floats of {@code plane} (a multiple of the lanes) to the float at {@code at} of {@code sums}. */
        private static void addPlaneSum(float[] plane, int length, MemorySegment sums, long at) {
            FloatVector total = FloatVector.zero(FLOATS);
            for (int i = 0; i < length; i += LANES) {
                total = total.add(FloatVector.fromArray(FLOATS, plane, i));
            }
            sums.setAtIndex(FLOAT, at, sums.getAtIndex(FLOAT, at) + VectorMath.sum(total));
        }

        /**
         * The chunk's input planes into {@code blocked}: per sample and block of 16 channels, the padded rows
         * the tiles read, each position the 16 channels' values (zeros for the padding and for channels past
         * the last). Each run of 16 columns of an input row is transposed from a block of the 16 channels'
         * rows.
         */
        private void blockInput(MemorySegment in, long inOff, float[] blocked) {
            int columns = p.inColumns();
            int rowSize = columns * LANES;
            int planeSize = p.inRows() * rowSize;
            // the transposed blocks fill the columns from pw on up to here, lanes past the row zero
            int filled = p.pw + Math.ceilDiv(p.w, LANES) * LANES;
            long inPlane = (long) p.h * p.w;
            MemorySegment rows = segment(INPUT_ROWS, (long) LANES * LANES * Float.BYTES);
            FloatVector zero = FloatVector.zero(FLOATS);
            for (int s = 0; s < samples; s++) {
                for (int cb = 0; cb < p.inBlocks(); cb++) {
                    int plane = (s * p.inBlocks() + cb) * planeSize;
                    int channels = Math.min(LANES, p.cin - cb * LANES);
                    long src = inOff + ((long) (s0 + s) * p.cin + (long) cb * LANES) * inPlane;
                    for (int py = 0; py < p.inRows(); py++) {
                        int row = plane + py * rowSize;
                        int iy = py - p.ph;
                        if (iy < 0 || iy >= p.h) {
                            Arrays.fill(blocked, row, row + rowSize, 0f);
                            continue;
                        }
                        Arrays.fill(blocked, row, row + p.pw * LANES, 0f);
                        Arrays.fill(blocked, row + filled * LANES, row + rowSize, 0f);
                        for (int ix0 = 0; ix0 < p.w; ix0 += LANES) {
                            VectorMask<Float> inside = FLOATS.indexInRange(ix0, p.w);
                            long at = src + (long) iy * p.w + ix0;
                            for (int c = 0; c < LANES; c++) {
                                // a whole vector where it lies inside the input, its lanes past the row cleared after
                                long bytes = (at + c * inPlane) * Float.BYTES;
                                FloatVector x = c >= channels ? zero
                                        : Lanes.wholeVector(in, bytes, FLOATS)
                                        ? zero.blend(FloatVector.fromMemorySegment(FLOATS, in, bytes, ORDER), inside)
                                        : FloatVector.fromMemorySegment(FLOATS, in, bytes, ORDER, inside);
                                x.intoMemorySegment(rows, (long) c * LANES * Float.BYTES, ORDER);
                            }
                            int first = row + (p.pw + ix0) * LANES;
                            Transpose16.block(rows, 0, LANES, blocked, first, first + 8 * LANES, LANES);
                        }
                    }
                }
            }
        }

        /**
         * V[xi] = (B^T d B)[xi] of every tile and block of 16 input channels, into the packed operand
         * {@code inputs} (a row per tile, a column per channel), one set per xi {@code vStride} apart; the
         * rows of no tile zero. Tile (ty, tx) of sample s0 + s is row {@code (s * tilesHigh + ty) * tilesWide
         * + tx}, or with {@code sampleLanes} row {@code 16 (ty * tilesWide + tx) + s} (as in the weight
         * gradient's dM). Per tile: d B of each of the six rows into {@code rows}, then B^T of each column.
         */
        private void transformInput(float[] blocked, float[] v, int vStride, GemmFloat.Packing inputs, float[] rows,
                                    boolean sampleLanes) {
            int rowSize = p.inColumns() * LANES;
            int planeSize = p.inRows() * rowSize;
            int tilesWide = p.tilesWide();
            for (int s = 0; s < samples; s++) {
                for (int ty = 0; ty < p.tilesHigh(); ty++) {
                    for (int tx = 0; tx < tilesWide; tx++) {
                        int t = sampleLanes ? (ty * tilesWide + tx) * LANES + s : (s * p.tilesHigh() + ty) * tilesWide + tx;
                        for (int cb = 0; cb < p.inBlocks(); cb++) {
                            int at = (s * p.inBlocks() + cb) * planeSize + 4 * ty * rowSize + 4 * tx * LANES;
                            for (int a = 0; a < 6; a++) {
                                TileTransforms.input(blocked, at + a * rowSize, LANES, rows, 6 * a * LANES, LANES);
                            }
                            int to = inputs.vector((long) cb * LANES) + inputs.row(t);
                            for (int b = 0; b < 6; b++) {
                                TileTransforms.input(rows, b * LANES, 6 * LANES, v, to + b * vStride, 6 * vStride);
                            }
                        }
                    }
                }
            }
            int tiles = samples * p.tilesPerSample();
            for (int t = 0; t < inputs.rows(); t++) {
                if (sampleLanes ? t % LANES < samples : t < tiles) {
                    continue;
                }
                for (int cb = 0; cb < p.inBlocks(); cb++) {
                    int to = inputs.vector((long) cb * LANES) + inputs.row(t);
                    for (int xi = 0; xi < XI; xi++) {
                        Arrays.fill(v, to + xi * vStride, to + xi * vStride + LANES, 0f);
                    }
                }
            }
        }

        /**
         * Y = A^T M A + bias of every tile and block of 16 output channels, M[xi] of tile t from element
         * {@code xi * mStride + t * ldc} of m, into the blocked output planes y: per tile, A^T of each of
         * the six columns into {@code rows}, then each of the four rows times A.
         */
        private void transformOutput(MemorySegment m, int mStride, int ldc, MemorySegment bias, long biasOff, float[] y, float[] rows) {
            int rowSize = p.outColumns() * LANES;
            int planeSize = p.outRows() * rowSize;
            // the plan's sizes in locals: this method is near C2's limit on inlined code
            int outBlocks = p.outBlocks();
            int tilesHigh = p.tilesHigh();
            int tilesWide = p.tilesWide();
            for (int ob = 0; ob < outBlocks; ob++) {
                FloatVector shift = bias == null ? FloatVector.zero(FLOATS)
                        : FloatVector.fromMemorySegment(FLOATS, bias, (biasOff + (long) ob * LANES) * Float.BYTES, ORDER,
                                FLOATS.indexInRange(ob * LANES, p.cout));
                int t = 0;
                for (int s = 0; s < samples; s++) {
                    for (int ty = 0; ty < tilesHigh; ty++) {
                        for (int tx = 0; tx < tilesWide; tx++, t++) {
                            long at = (long) t * ldc + (long) ob * LANES;
                            for (int b = 0; b < 6; b++) {
                                TileTransforms.outputColumn(m, at + (long) b * mStride, 6L * mStride, rows, b * LANES, 6 * LANES);
                            }
                            int to = (s * outBlocks + ob) * planeSize + 4 * ty * rowSize + 4 * tx * LANES;
                            for (int i = 0; i < 4; i++) {
                                TileTransforms.outputRow(rows, 6 * i * LANES, LANES, shift, y, to + i * rowSize, LANES);
                            }
                        }
                    }
                }
            }
        }

        /**
         * The blocked output planes y into out: per sample and block of 16 channels, each run of 16 columns
         * of a row transposed into the 16 channels' planes in {@code planes} (a vector's lanes past the row
         * run on into the next row, written after; each plane has a vector of room after it), which are then
         * copied to out.
         */
        private void unblockOutput(float[] y, MemorySegment out, long outOff) {
            int rowSize = p.outColumns() * LANES;
            int planeSize = p.outRows() * rowSize;
            int outPlane = p.oh * p.ow;
            int step = outPlane + LANES;
            float[] planes = GrowingBuffers.floats(BUFFERS.get(), PLANES, LANES * step);
            for (int s = 0; s < samples; s++) {
                for (int ob = 0; ob < p.outBlocks(); ob++) {
                    int from = (s * p.outBlocks() + ob) * planeSize;
                    for (int oy = 0; oy < p.oh; oy++) {
                        for (int ox0 = 0; ox0 < p.ow; ox0 += LANES) {
                            int first = oy * p.ow + ox0;
                            Transpose16.block(y, from + oy * rowSize + ox0 * LANES, LANES, planes, first, first + 8 * step, step);
                        }
                    }
                    int channels = Math.min(LANES, p.cout - ob * LANES);
                    long to = outOff + ((long) (s0 + s) * p.cout + (long) ob * LANES) * outPlane;
                    for (int c = 0; c < channels; c++) {
                        MemorySegment.copy(planes, c * step, out, FLOAT, (to + (long) c * outPlane) * Float.BYTES, outPlane);
                    }
                }
            }
        }
    }

    /**
     * The distance between the 36 matrices U[xi] of cin x cout, {@link #spaced}: at a power of two apart
     * the 36 stores of a kernel's transform fell in one cache set, and the weights took 10x longer.
     */
    private static int weightsStride(int cin, int cout) {
        return spaced(Gemm.FLOATS.panelsOfB(cin).size(cout));
    }

    /** The distance between the 36 matrices of a transform of {@code size} elements: a cache line more, so that they do not all fall in the same cache sets. */
    private static int spaced(int size) {
        return size + LANES;
    }

    private static MemorySegment segment(int slot, long bytes) {
        return GrowingBuffers.bytes(SEGMENTS.get(), slot, bytes);
    }
}
