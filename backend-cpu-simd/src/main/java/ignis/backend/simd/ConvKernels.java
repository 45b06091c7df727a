package ignis.backend.simd;

import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.INT;
import static ignis.backend.simd.Elements.LONG;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.DType;
import ignis.tensor.spi.ComputePool;
import ignis.tensor.spi.Conv2dKernels;
import ignis.tensor.spi.Conv2dParams;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2-D convolution (NCHW, float32 and float64) as im2col and {@link Gemm}. The batch is cut into chunks
 * of samples whose columns side by side make products about {@link #COLUMNS} columns wide (one sample
 * per product would leave the product too narrow to run at full speed: 196 columns for a 14x14 image);
 * the chunks and groups are the work units, split over the {@link ComputePool}:
 * <ul>
 * <li>forward: {@code out[chunk, g] = W[g] (OC/g x K) * cols(x[chunk, g]) (K x S*OH*OW)}, K = C/g * KH * KW,
 *     computed into a scratch block and copied to each sample's planes; in float32 the weights are packed
 *     once per call and the sums start from the bias ({@link ForwardFactors}), in float64 the bias is set
 *     or added on the way;</li>
 * <li>backwardInput: {@code cols = W[g]^T * gradOut[chunk, g]}, the gradient gathered side by side
 *     first, then col2im adds each sample's columns into its zeroed input gradient;</li>
 * <li>backwardWeight: {@code gradW[g]^T += cols(x[chunk, g]) * gradOut[chunk, g]^T}, summed over the batch
 *     in one partial sum per part (the first is gradW itself), then added up. Both factors are dense along
 *     the sum; computing the transpose lets the GEMM pack the columns, the larger factor, by rows in bulk
 *     and transpose only the output gradient (and the weight-sized result).</li>
 * </ul>
 * A chunk of one sample (a 28x28 image is wide enough alone) computes straight into the output. A 1x1
 * convolution with stride 1 and no padding multiplies the input planes directly, without columns, one
 * sample per unit. Operands that are not dense are copied first; the scratch buffers are per thread and
 * reused from call to call. A 3x3 float32 convolution with stride 1 and enough channels goes to
 * {@link WinogradF4x4} (with 16 float lanes, planes up to 64x64) or {@link Winograd3x3} instead, all three
 * directions.
 */
final class ConvKernels implements Conv2dKernels {

    /**
     * Per-thread buffers: the columns of one unit, the rows of one unit's product or gathered gradient,
     * and (on a calling thread) the partial sums of backwardWeight. A view of the calling thread's slots,
     * made per parallel part.
     *
     * <p>The thread-local value is a JDK array, never an object of this bundle's classes: the compute
     * pool's workers and the callers' threads outlive this bundle, and a value whose class is this
     * bundle's would keep its class loader (and so the static key of the thread-local itself) reachable
     * for as long as the thread lives, pinning every replaced revision of the bundle.
     */
    private static final class Scratch {
        private static final int COLS = 0;
        private static final int ROWS = 1;
        private static final int PARTIALS = 2;
        private static final int TRANSPOSED = 3;
        private static final int STARTS = 4;
        private final MemorySegment[] slots;

        private Scratch(MemorySegment[] slots) {
            this.slots = slots;
        }

        /** The calling thread's buffers. */
        static Scratch current() {
            return new Scratch(SLOTS.get());
        }

        MemorySegment cols(long bytes) {
            return slot(COLS, bytes);
        }

        MemorySegment rows(long bytes) {
            return slot(ROWS, bytes);
        }

        MemorySegment partials(long bytes) {
            return slot(PARTIALS, bytes);
        }

        MemorySegment transposed(long bytes) {
            return slot(TRANSPOSED, bytes);
        }

        MemorySegment starts(long bytes) {
            return slot(STARTS, bytes);
        }

        float[] panels(int floats) {
            return array(0, floats);
        }

        float[] weights(int floats) {
            return array(2, floats);
        }

        /** Zeroed lane sums for {@link GemmFloat#dotVectors}. */
        float[] laneSums(int floats) {
            float[] sums = array(1, floats);
            Arrays.fill(sums, 0, floats, 0f);
            return sums;
        }

        private static float[] array(int slot, int floats) {
            float[][] holder = ARRAYS.get();
            if (holder[slot].length < floats) {
                holder[slot] = new float[floats];
            }
            return holder[slot];
        }

        private MemorySegment slot(int slot, long bytes) {
            if (slots[slot].byteSize() < bytes) {
                slots[slot] = Arena.ofAuto().allocate(bytes, 64);
            }
            return slots[slot];
        }
    }

    private static final ThreadLocal<MemorySegment[]> SLOTS = ThreadLocal.withInitial(() -> new MemorySegment[] {
            MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL});

    /**
     * Per-thread packed panels of the columns ({@link Im2colPanels}), lane sums of backwardWeight and packed
     * weights of the forward ({@link ForwardFactors}), in a three-element array.
     */
    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0], new float[0]});

    /** The most floats of lane sums backwardWeight keeps per thread (a quarter of a MiB, to stay in the L2 cache). */
    private static final long MAX_LANE_SUMS = 1 << 16;

    /** The width a chunk of samples aims at: columns of one product. */
    static final int COLUMNS = 1024;

    private final Lanes lanes;

    ConvKernels(Lanes lanes) {
        this.lanes = lanes;
    }

    /** The geometry of one convolution; K = cg*kh*kw rows of columns, L = oh*ow columns. */
    record Geometry(int n, int c, int h, int w, int oc, int cg, int ocg, int kh, int kw, int oh, int ow,
                    int groups, int sh, int sw, int ph, int pw, int dh, int dw, boolean wide) {

        static Geometry of(long[] in, long[] weight, Conv2dParams p, DType dtype) {
            int kh = Math.toIntExact(weight[2]);
            int kw = Math.toIntExact(weight[3]);
            return new Geometry(Math.toIntExact(in[0]), Math.toIntExact(in[1]), Math.toIntExact(in[2]), Math.toIntExact(in[3]),
                    Math.toIntExact(weight[0]), Math.toIntExact(weight[1]), Math.toIntExact(weight[0] / p.groups()), kh, kw,
                    Math.toIntExact(p.outH(in[2], kh)), Math.toIntExact(p.outW(in[3], kw)), p.groups(),
                    p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW(), dtype == DType.FLOAT64);
        }

        int k() {
            return cg * kh * kw;
        }

        int l() {
            return oh * ow;
        }

        int bytes() {
            return wide ? Double.BYTES : Float.BYTES;
        }

        /** A 1x1 kernel with stride 1 and no padding: the input planes are the columns. */
        boolean pointwise() {
            return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0;
        }

        /**
         * Stride 1 and output rows as wide as input rows ("same" padding): the column rows of one
         * kernel offset are then one contiguous block of the input plane, shifted, with the padding
         * columns at the row ends to clear.
         */
        boolean sameRows() {
            return sh == 1 && sw == 1 && ow == w;
        }

        /** The first output row whose input row for kernel row ki is inside the input. */
        int firstOy(int ki) {
            return clamp(ph - ki * dh, oh);
        }

        /** One past the last such output row. */
        int endOy(int ki) {
            return Math.max(firstOy(ki), clamp(h + ph - ki * dh, oh));
        }

        /** The first output column whose input column for kernel column kj is inside the input. */
        int firstOx(int kj) {
            return clamp(Math.ceilDiv(pw - kj * dw, sw), ow);
        }

        /** One past the last such output column. */
        int endOx(int kj) {
            return Math.max(firstOx(kj), clamp(Math.floorDiv(w - 1 + pw - kj * dw, sw) + 1, ow));
        }

        private static int clamp(int x, int max) {
            return Math.max(0, Math.min(x, max));
        }
    }

    private static void gemm(boolean wide, int m, int n, int k, MemorySegment a, long aOff, long ars, long acs,
                             MemorySegment b, long bOff, long brs, long bcs, MemorySegment c, long cOff, long ldc, boolean accumulate) {
        if (wide) {
            Gemm.dgemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
        } else {
            Gemm.sgemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
        }
    }

    /**
     * The chunks of the batch: {@code count} of them, chunk {@code u} the samples from {@code first(u)} to
     * {@code first(u + 1)}; as many as the threads or a multiple, so that they share the work evenly. One
     * sample per chunk for a pointwise convolution.
     */
    record Chunks(int count, int n) {

        static Chunks of(Geometry g) {
            if (g.pointwise()) {
                return new Chunks(g.n, g.n);
            }
            return new Chunks(count(g.n, COLUMNS / Math.max(1, g.l())), g.n);
        }

        /**
         * How many chunks of about {@code perChunk} samples (at least one) a batch of n is cut into: a
         * multiple of the threads where the batch allows. The Winograd classes cut theirs alike.
         */
        static int count(int n, int perChunk) {
            int threads = ComputePool.threads();
            return Math.min(n, Math.ceilDiv(Math.ceilDiv(n, Math.max(1, perChunk)), threads) * threads);
        }

        int first(long chunk) {
            return (int) (chunk * n / count);
        }
    }

    /**
     * The float32 forward's weights, packed once for all units as a of the GEMM ({@link GemmFloat.BlocksOfA},
     * group after group), and the row starts of its bias ({@link GemmFloat#fillRowStarts}; {@link Lanes#ZEROS}
     * without one): the sums start from the bias instead of a pass over the output to add it. They live in
     * the calling thread's scratch, which the workers only read.
     */
    private record ForwardFactors(float[] blocks, int blockSize, MemorySegment starts) {

        static ForwardFactors of(Geometry g, DenseViews.In w, DenseViews.In b) {
            int k = g.k();
            int blockSize = new GemmFloat.BlocksOfA(g.ocg).size(k);
            Scratch scratch = Scratch.current();
            float[] blocks = scratch.weights(g.groups * blockSize);
            for (int group = 0; group < g.groups; group++) {
                Gemm.FLOATS.packBlocksOfA(g.ocg, k, w.segment(), w.offset() + (long) group * g.ocg * k, k, 1, blocks, group * blockSize);
            }
            MemorySegment starts = Lanes.ZEROS;
            if (b != null) {
                starts = scratch.starts((long) Gemm.FLOATS.rowStartsSize(g.oc) * Float.BYTES);
                Gemm.FLOATS.fillRowStarts(b.segment(), b.offset(), g.oc, starts);
            }
            return new ForwardFactors(blocks, blockSize, starts);
        }
    }

    /**
     * One unit's product in float64, into {@code product}: the bias set first where the product is the output
     * itself (one sample), the GEMM adding to it; a product of several samples gets its bias as it is copied out.
     */
    private static void wideProduct(Geometry g, DenseViews.In x, int n0, DenseViews.In w, DenseViews.In b, int group, int samples,
                                    Scratch scratch, MemorySegment product, long productOff) {
        int k = g.k();
        int l = g.l();
        long ld = (long) samples * l;
        long wOff = w.offset() + (long) group * g.ocg * k;
        boolean accumulate = samples == 1 && b != null;
        if (accumulate) {
            fillRows(g, product, productOff, b, group);
        }
        if (g.pointwise()) {
            Gemm.dgemm(g.ocg, (int) ld, k, w.segment(), wOff, k, 1, x.segment(), inputOffset(g, x.offset(), n0, group), l, 1, product,
                    productOff, ld, accumulate);
            return;
        }
        MemorySegment cols = columns(g, scratch, x, n0, samples, group);
        Gemm.dgemm(g.ocg, (int) ld, k, w.segment(), wOff, k, 1, cols, 0, ld, 1, product, productOff, ld, accumulate);
    }

    @Override
    public void forward(TensorView out, TensorView input, TensorView weight, TensorView bias, Conv2dParams params) {
        Geometry g = Geometry.of(input.shape(), weight.shape(), params, input.dtype());
        DenseViews.In x = DenseViews.in(input);
        DenseViews.In w = DenseViews.in(weight);
        DenseViews.In b = bias == null ? null : DenseViews.in(bias);
        DenseViews.Out o = DenseViews.out(out);
        if (WinogradF4x4.handles(g)) {
            WinogradF4x4.forward(g, x.segment(), x.offset(), w.segment(), w.offset(), b == null ? null : b.segment(),
                    b == null ? 0 : b.offset(), o.segment(), o.offset());
            o.finish();
            return;
        }
        if (Winograd3x3.handles(g)) {
            Winograd3x3.forward(g, x.segment(), x.offset(), w.segment(), w.offset(), b == null ? null : b.segment(),
                    b == null ? 0 : b.offset(), o.segment(), o.offset());
            o.finish();
            return;
        }
        Chunks chunks = Chunks.of(g);
        int k = g.k();
        int l = g.l();
        ForwardFactors factors = g.wide ? null : ForwardFactors.of(g, w, b);
        ComputePool.forRange((long) chunks.count * g.groups, 1, (from, to) -> {
            Scratch scratch = Scratch.current();
            for (long unit = from; unit < to; unit++) {
                int group = (int) (unit % g.groups);
                int n0 = chunks.first(unit / g.groups);
                int samples = chunks.first(unit / g.groups + 1) - n0;
                long ld = (long) samples * l;
                MemorySegment product = o.segment();
                long productOff = outputOffset(g, o.offset(), n0, group);
                if (samples > 1) {
                    product = scratch.rows(g.ocg * ld * g.bytes());
                    productOff = 0;
                }
                if (g.wide) {
                    wideProduct(g, x, n0, w, b, group, samples, scratch, product, productOff);
                } else if (Im2colPanels.handles(g)) {
                    GemmFloat.PanelsOfB packing = Gemm.FLOATS.panelsOfB(k);
                    float[] panels = scratch.panels(packing.size(ld));
                    Im2colPanels.fill(g, x.segment(), inputOffset(g, x.offset(), n0, group), (long) g.c * g.h * g.w, samples, panels, packing);
                    Gemm.FLOATS.gemmPacked(g.ocg, (int) ld, k, factors.blocks, group * factors.blockSize, panels, 0, product, productOff, ld,
                            false, factors.starts, group * g.ocg);
                } else {
                    boolean pointwise = g.pointwise();
                    MemorySegment cols = pointwise ? x.segment() : columns(g, scratch, x, n0, samples, group);
                    long colsOff = pointwise ? inputOffset(g, x.offset(), n0, group) : 0;
                    Gemm.FLOATS.gemmPackedA(g.ocg, (int) ld, k, factors.blocks, group * factors.blockSize, cols, colsOff, ld, 1, product,
                            productOff, ld, false, factors.starts, group * g.ocg);
                }
                if (samples == 1) {
                    continue;
                }
                for (int s = 0; s < samples; s++) {
                    long cOff = outputOffset(g, o.offset(), n0 + s, group);
                    for (int r = 0; r < g.ocg; r++) {
                        long at = r * ld + (long) s * l;
                        long into = cOff + (long) r * l;
                        if (g.wide && b != null) {
                            addScalarRun(o.segment(), into, product, at, l, b.segment(), b.offset() + (long) group * g.ocg + r);
                        } else {
                            MemorySegment.copy(product, at * g.bytes(), o.segment(), into * g.bytes(), (long) l * g.bytes());
                        }
                    }
                }
            }
        });
        o.finish();
    }

    @Override
    public void backwardInput(TensorView gradInput, TensorView gradOut, TensorView weight, Conv2dParams params) {
        Geometry g = Geometry.of(gradInput.shape(), weight.shape(), params, gradInput.dtype());
        DenseViews.In go = DenseViews.in(gradOut);
        DenseViews.In w = DenseViews.in(weight);
        DenseViews.Out gi = DenseViews.out(gradInput);
        if (WinogradF4x4.handles(g)) {
            WinogradF4x4.backwardInput(g, go.segment(), go.offset(), w.segment(), w.offset(), gi.segment(), gi.offset());
            gi.finish();
            return;
        }
        if (Winograd3x3.handles(g)) {
            Winograd3x3.backwardInput(g, go.segment(), go.offset(), w.segment(), w.offset(), gi.segment(), gi.offset());
            gi.finish();
            return;
        }
        Chunks chunks = Chunks.of(g);
        int k = g.k();
        int l = g.l();
        ComputePool.forRange((long) chunks.count * g.groups, 1, (from, to) -> {
            Scratch scratch = Scratch.current();
            for (long unit = from; unit < to; unit++) {
                int group = (int) (unit % g.groups);
                int n0 = chunks.first(unit / g.groups);
                int samples = chunks.first(unit / g.groups + 1) - n0;
                long ld = (long) samples * l;
                long wOff = w.offset() + (long) group * g.ocg * k;
                if (g.pointwise()) {
                    gemm(g.wide, k, l, g.ocg, w.segment(), wOff, 1, k, go.segment(), outputOffset(g, go.offset(), n0, group), l, 1,
                            gi.segment(), inputOffset(g, gi.offset(), n0, group), l, false);
                    continue;
                }
                MemorySegment gathered = go.segment();
                long gatheredOff = outputOffset(g, go.offset(), n0, group);
                if (samples > 1) {
                    gathered = gatherRows(g, scratch, go, n0, samples, group);
                    gatheredOff = 0;
                }
                MemorySegment cols = scratch.cols(k * ld * g.bytes());
                gemm(g.wide, k, (int) ld, g.ocg, w.segment(), wOff, 1, k, gathered, gatheredOff, ld, 1, cols, 0, ld, false);
                for (int s = 0; s < samples; s++) {
                    col2im(g, cols, (long) s * l, ld, gi.segment(), inputOffset(g, gi.offset(), n0 + s, group));
                }
            }
        });
        gi.finish();
    }

    @Override
    public void backwardWeight(TensorView gradWeight, TensorView gradOut, TensorView input, Conv2dParams params) {
        weightGradients(gradWeight, null, gradOut, input, params);
    }

    @Override
    public boolean backwardWeightAndBias(TensorView gradWeight, TensorView gradBias, TensorView gradOut, TensorView input,
                                         Conv2dParams params) {
        return weightGradients(gradWeight, gradBias, gradOut, input, params);
    }

    /**
     * The weight gradient; and the bias gradient too, unless {@code gradBias} is null, where the products
     * are dot products (few rows of columns): each sample's output gradient is then in the cache, summed right
     * after its products; or by WinogradF4x4, from the planes its transforms read. Returns whether it wrote gradBias.
     */
    private boolean weightGradients(TensorView gradWeight, TensorView gradBias, TensorView gradOut, TensorView input, Conv2dParams params) {
        Geometry g = Geometry.of(input.shape(), gradWeight.shape(), params, input.dtype());
        DenseViews.In go = DenseViews.in(gradOut);
        DenseViews.In x = DenseViews.in(input);
        DenseViews.Out gw = DenseViews.out(gradWeight);
        if (WinogradF4x4.handlesWeightGradient(g)) {
            DenseViews.Out gb = gradBias == null ? null : DenseViews.out(gradBias);
            WinogradF4x4.backwardWeight(g, x.segment(), x.offset(), go.segment(), go.offset(), gw.segment(), gw.offset(),
                    gb == null ? null : gb.segment(), gb == null ? 0 : gb.offset());
            gw.finish();
            if (gb != null) {
                gb.finish();
            }
            return gb != null;
        }
        if (Winograd3x3.handles(g)) {
            Winograd3x3.backwardWeight(g, x.segment(), x.offset(), go.segment(), go.offset(), gw.segment(), gw.offset());
            gw.finish();
            return false;
        }
        Chunks chunks = Chunks.of(g);
        int k = g.k();
        int l = g.l();
        long units = (long) chunks.count * g.groups;
        int parts = ComputePool.parts(units, 1);
        long weights = (long) g.oc * k;
        // partial sum 0 is gradWeight itself; the others are the calling thread's scratch
        MemorySegment partials = parts > 1 ? Scratch.current().partials((parts - 1) * weights * g.bytes()) : MemorySegment.NULL;
        // few rows of columns (a single input channel): dot products whose lanes add up over the whole part
        int width = Gemm.FLOATS.species().length();
        boolean dots = !g.wide && k <= GemmFloat.DOT_ROWS && weights * width <= MAX_LANE_SUMS;
        boolean bias = dots && gradBias != null;
        double[][] biasParts = bias ? new double[parts][g.oc] : null;
        ComputePool.forRange(parts, 1, (fromPart, toPart) -> {
            Scratch scratch = Scratch.current();
            for (long part = fromPart; part < toPart; part++) {
                MemorySegment sum = part == 0 ? gw.segment() : partials;
                long sumOff = part == 0 ? gw.offset() : (part - 1) * weights;
                MemorySegment transposed = dots ? MemorySegment.NULL : scratch.transposed(weights * g.bytes());
                float[] laneSums = dots ? scratch.laneSums((int) weights * width) : null;
                if (!dots) {
                    zero(transposed, 0, weights, g.wide);
                }
                for (long unit = units * part / parts; unit < units * (part + 1) / parts; unit++) {
                    int group = (int) (unit % g.groups);
                    int n0 = chunks.first(unit / g.groups);
                    int samples = chunks.first(unit / g.groups + 1) - n0;
                    long ld = (long) samples * l;
                    MemorySegment gathered = go.segment();
                    long gatheredOff = outputOffset(g, go.offset(), n0, group);
                    if (samples > 1) {
                        gathered = gatherRows(g, scratch, go, n0, samples, group);
                        gatheredOff = 0;
                    }
                    long sumOffset = (long) group * g.ocg * k;
                    if (Im2colPanels.handles(g)) {
                        GemmFloat.BlocksOfA packing = new GemmFloat.BlocksOfA(k);
                        float[] blocks = scratch.panels(packing.size(ld));
                        Im2colPanels.fill(g, x.segment(), inputOffset(g, x.offset(), n0, group), (long) g.c * g.h * g.w, samples, blocks, packing);
                        Gemm.FLOATS.gemmPackedA(k, g.ocg, (int) ld, blocks, 0, gathered, gatheredOff, 1, ld, transposed, sumOffset, g.ocg, true,
                                Lanes.ZEROS, 0);
                        continue;
                    }
                    boolean pointwise = g.pointwise();
                    MemorySegment cols = pointwise ? x.segment() : columns(g, scratch, x, n0, samples, group);
                    long colsOff = pointwise ? inputOffset(g, x.offset(), n0, group) : 0;
                    if (dots) {
                        Gemm.FLOATS.dotVectors(k, g.ocg, (int) ld, cols, colsOff, ld, gathered, gatheredOff, ld, laneSums, (int) sumOffset * width);
                        if (bias) {
                            addRowSums(gathered, gatheredOff, ld, g.ocg, biasParts[(int) part], group * g.ocg);
                        }
                    } else {
                        gemm(g.wide, k, g.ocg, (int) ld, cols, colsOff, ld, 1, gathered, gatheredOff, 1, ld, transposed, sumOffset, g.ocg, true);
                    }
                }
                if (dots) {
                    // lane sums (t, o) of each group fold straight into the weight gradient's (o, t)
                    for (int group = 0; group < g.groups; group++) {
                        long block = (long) group * g.ocg * k;
                        Gemm.FLOATS.foldLanes(k, g.ocg, laneSums, (int) block * width, sum, sumOff + block, 1, k, false);
                    }
                } else {
                    transpose(g, transposed, sum, sumOff);
                }
            }
        });
        for (int part = 1; part < parts; part++) {
            addRun(g.wide, gw.segment(), gw.offset(), partials, (part - 1) * weights, weights);
        }
        gw.finish();
        if (bias) {
            DenseViews.Out gb = DenseViews.out(gradBias);
            for (int o = 0; o < g.oc; o++) {
                double sum = 0;
                for (double[] part : biasParts) {
                    sum += part[o];
                }
                gb.segment().setAtIndex(FLOAT, gb.offset() + o, (float) sum);
            }
            gb.finish();
        }
        return bias;
    }

    /**
     * Adds the sums of {@code rows} float rows, {@code ld} apart from {@code off}, to {@code sums} from {@code at}:
     * per row four vector sums (a chain of dependent adds would wait on each), added up, their lanes in double.
     */
    private void addRowSums(MemorySegment m, long off, long ld, int rows, double[] sums, int at) {
        VectorSpecies<Float> s = lanes.floats();
        int l = s.length();
        long bound = s.loopBound(ld);
        for (int r = 0; r < rows; r++) {
            long row = off + r * ld;
            FloatVector a0 = FloatVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            long j = 0;
            for (; j + 4L * l <= bound; j += 4L * l) {
                a0 = a0.add(FloatVector.fromMemorySegment(s, m, (row + j) * Float.BYTES, ORDER));
                a1 = a1.add(FloatVector.fromMemorySegment(s, m, (row + j + l) * Float.BYTES, ORDER));
                a2 = a2.add(FloatVector.fromMemorySegment(s, m, (row + j + 2L * l) * Float.BYTES, ORDER));
                a3 = a3.add(FloatVector.fromMemorySegment(s, m, (row + j + 3L * l) * Float.BYTES, ORDER));
            }
            for (; j < bound; j += l) {
                a0 = a0.add(FloatVector.fromMemorySegment(s, m, (row + j) * Float.BYTES, ORDER));
            }
            double sum = 0;
            for (float lane : a0.add(a1).add(a2.add(a3)).toArray()) {
                sum += lane;
            }
            for (; j < ld; j++) {
                sum += m.getAtIndex(FLOAT, row + j);
            }
            sums[at + r] += sum;
        }
    }

    /** {@code sum[group][o][t] = transposed[group][t][o]}: each group's K x OCg block written back as OCg x K. */
    private static void transpose(Geometry g, MemorySegment transposed, MemorySegment sum, long sumOff) {
        int k = g.k();
        for (int group = 0; group < g.groups; group++) {
            long block = (long) group * g.ocg * k;
            for (int o = 0; o < g.ocg; o++) {
                for (int t = 0; t < k; t++) {
                    long from = block + (long) t * g.ocg + o;
                    long to = sumOff + block + (long) o * k + t;
                    if (g.wide) {
                        sum.setAtIndex(DOUBLE, to, transposed.getAtIndex(DOUBLE, from));
                    } else {
                        sum.setAtIndex(FLOAT, to, transposed.getAtIndex(FLOAT, from));
                    }
                }
            }
        }
    }

    /** Where the planes of sample {@code n}, group {@code group} of an input (or input gradient) start. */
    private static long inputOffset(Geometry g, long offset, int n, int group) {
        return offset + ((long) n * g.c + (long) group * g.cg) * g.h * g.w;
    }

    /** Where the planes of sample {@code n}, group {@code group} of an output (or output gradient) start. */
    private static long outputOffset(Geometry g, long offset, int n, int group) {
        return offset + ((long) n * g.oc + (long) group * g.ocg) * g.l();
    }

    /** The columns ({@link #im2col}) of a chunk's samples in one group, side by side in rows of S*OH*OW, in the thread's scratch. */
    private static MemorySegment columns(Geometry g, Scratch scratch, DenseViews.In x, int n0, int samples, int group) {
        int l = g.l();
        long ld = (long) samples * l;
        MemorySegment cols = scratch.cols(g.k() * ld * g.bytes());
        for (int s = 0; s < samples; s++) {
            im2col(g, x.segment(), inputOffset(g, x.offset(), n0 + s, group), cols, (long) s * l, ld);
        }
        return cols;
    }

    /** The output gradient of a chunk's samples in one group, side by side: row r holds each sample's plane r in turn. */
    private static MemorySegment gatherRows(Geometry g, Scratch scratch, DenseViews.In go, int n0, int samples, int group) {
        int l = g.l();
        long ld = (long) samples * l;
        MemorySegment rows = scratch.rows(g.ocg * ld * g.bytes());
        for (int s = 0; s < samples; s++) {
            long from = outputOffset(g, go.offset(), n0 + s, group);
            for (int r = 0; r < g.ocg; r++) {
                MemorySegment.copy(go.segment(), (from + (long) r * l) * g.bytes(), rows, (r * ld + (long) s * l) * g.bytes(),
                        (long) l * g.bytes());
            }
        }
        return rows;
    }

    /** Sets the rows of one unit's float64 output to the bias of their channels. */
    private static void fillRows(Geometry g, MemorySegment out, long cOff, DenseViews.In bias, int group) {
        int l = g.l();
        for (int r = 0; r < g.ocg; r++) {
            double v = bias.segment().getAtIndex(DOUBLE, bias.offset() + (long) group * g.ocg + r);
            long row = cOff + (long) r * l;
            for (int j = 0; j < l; j++) {
                out.setAtIndex(DOUBLE, row + j, v);
            }
        }
    }

    /**
     * The columns of one sample and group, from {@code colsOff} in rows {@code ld} apart: row
     * {@code (ci*KH + ki)*KW + kj}, column {@code oy*OW + ox} holds the input at
     * {@code (oy*sh - ph + ki*dh, ox*sw - pw + kj*dw)}, or zero in the padding.
     */
    static void im2col(Geometry g, MemorySegment x, long xOff, MemorySegment cols, long colsOff, long ld) {
        int bytes = g.bytes();
        int ow = g.ow;
        long row = 0;
        for (int ci = 0; ci < g.cg; ci++) {
            long planeOff = xOff + (long) ci * g.h * g.w;
            for (int ki = 0; ki < g.kh; ki++) {
                for (int kj = 0; kj < g.kw; kj++, row++) {
                    int ox0 = g.firstOx(kj);
                    int ox1 = g.endOx(kj);
                    int colShift = kj * g.dw - g.pw;
                    if (g.sameRows()) {
                        blockIm2col(g, x, planeOff, cols, colsOff + row * ld, ki, ox0, ox1, colShift);
                        continue;
                    }
                    for (int oy = 0; oy < g.oh; oy++) {
                        long dst = colsOff + row * ld + (long) oy * ow;
                        int iy = oy * g.sh - g.ph + ki * g.dh;
                        if (iy < 0 || iy >= g.h) {
                            zeroBits(cols, dst, ow, bytes);
                            continue;
                        }
                        long src = planeOff + (long) iy * g.w;
                        zeroBits(cols, dst, ox0, bytes);
                        if (g.sw == 1) {
                            MemorySegment.copy(x, (src + ox0 + colShift) * bytes, cols, (dst + ox0) * bytes, (long) (ox1 - ox0) * bytes);
                        } else if (bytes == 8) {
                            for (int ox = ox0; ox < ox1; ox++) {
                                cols.setAtIndex(LONG, dst + ox, x.getAtIndex(LONG, src + (long) ox * g.sw + colShift));
                            }
                        } else {
                            for (int ox = ox0; ox < ox1; ox++) {
                                cols.setAtIndex(INT, dst + ox, x.getAtIndex(INT, src + (long) ox * g.sw + colShift));
                            }
                        }
                        zeroBits(cols, dst + ox1, ow - ox1, bytes);
                    }
                }
            }
        }
    }

    /**
     * im2col of one column row (from {@code base}) when {@link Geometry#sameRows()}: the valid rows as one
     * copy of the shifted input block (the row ends then hold neighbours' elements), then the padding zeroed.
     */
    private static void blockIm2col(Geometry g, MemorySegment x, long planeOff, MemorySegment cols, long base, int ki,
                                    int ox0, int ox1, int colShift) {
        int bytes = g.bytes();
        int ow = g.ow;
        int oy0 = g.firstOy(ki);
        int oy1 = g.endOy(ki);
        if (oy0 >= oy1 || ox0 >= ox1) {
            zero(cols, base, (long) g.oh * ow, g.wide);
            return;
        }
        zero(cols, base, (long) oy0 * ow, g.wide);
        zero(cols, base + (long) oy1 * ow, (long) (g.oh - oy1) * ow, g.wide);
        long src = planeOff + (long) (oy0 - g.ph + ki * g.dh) * g.w + ox0 + colShift;
        long dst = base + (long) oy0 * ow + ox0;
        MemorySegment.copy(x, src * bytes, cols, dst * bytes, ((long) (oy1 - oy0 - 1) * ow + (ox1 - ox0)) * bytes);
        if (ox0 > 0 || ox1 < ow) {
            for (int oy = oy0; oy < oy1; oy++) {
                long at = base + (long) oy * ow;
                zeroBits(cols, at, ox0, bytes);
                zeroBits(cols, at + ox1, ow - ox1, bytes);
            }
        }
    }

    /**
     * col2im of one column row (from {@code base}) when {@link Geometry#sameRows()}: the padding entries of
     * the columns zeroed, then the valid rows added to the shifted input block in one run.
     */
    private void blockCol2im(Geometry g, MemorySegment cols, long base, long planeOff, MemorySegment gi, int ki,
                             int ox0, int ox1, int colShift) {
        int ow = g.ow;
        int oy0 = g.firstOy(ki);
        int oy1 = g.endOy(ki);
        if (oy0 >= oy1 || ox0 >= ox1) {
            return;
        }
        if (ox0 > 0 || ox1 < ow) {
            for (int oy = oy0; oy < oy1; oy++) {
                long at = base + (long) oy * ow;
                zeroBits(cols, at, ox0, g.bytes());
                zeroBits(cols, at + ox1, ow - ox1, g.bytes());
            }
        }
        long dst = planeOff + (long) (oy0 - g.ph + ki * g.dh) * g.w + ox0 + colShift;
        long src = base + (long) oy0 * ow + ox0;
        addRun(g.wide, gi, dst, cols, src, (long) (oy1 - oy0 - 1) * ow + (ox1 - ox0));
    }

    /**
     * The inverse of {@link #im2col}: zeroes the input gradient of one sample and group, then adds each
     * column entry (from {@code colsOff}, rows {@code ld} apart) to its input position.
     */
    private void col2im(Geometry g, MemorySegment cols, long colsOff, long ld, MemorySegment gi, long giOff) {
        int ow = g.ow;
        zero(gi, giOff, (long) g.cg * g.h * g.w, g.wide);
        long row = 0;
        for (int ci = 0; ci < g.cg; ci++) {
            long planeOff = giOff + (long) ci * g.h * g.w;
            for (int ki = 0; ki < g.kh; ki++) {
                for (int kj = 0; kj < g.kw; kj++, row++) {
                    int ox0 = g.firstOx(kj);
                    int ox1 = g.endOx(kj);
                    int colShift = kj * g.dw - g.pw;
                    if (g.sameRows()) {
                        blockCol2im(g, cols, colsOff + row * ld, planeOff, gi, ki, ox0, ox1, colShift);
                        continue;
                    }
                    for (int oy = 0; oy < g.oh; oy++) {
                        int iy = oy * g.sh - g.ph + ki * g.dh;
                        if (iy < 0 || iy >= g.h || ox1 <= ox0) {
                            continue;
                        }
                        long src = colsOff + row * ld + (long) oy * ow;
                        long dst = planeOff + (long) iy * g.w;
                        if (g.sw == 1) {
                            addRun(g.wide, gi, dst + ox0 + colShift, cols, src + ox0, ox1 - ox0);
                        } else if (g.wide) {
                            for (int ox = ox0; ox < ox1; ox++) {
                                long at = dst + (long) ox * g.sw + colShift;
                                gi.setAtIndex(DOUBLE, at, gi.getAtIndex(DOUBLE, at) + cols.getAtIndex(DOUBLE, src + ox));
                            }
                        } else {
                            for (int ox = ox0; ox < ox1; ox++) {
                                long at = dst + (long) ox * g.sw + colShift;
                                gi.setAtIndex(FLOAT, at, gi.getAtIndex(FLOAT, at) + cols.getAtIndex(FLOAT, src + ox));
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code dst[d + j] += src[s + j]} for {@code j < n}, vectorized. */
    private void addRun(boolean wide, MemorySegment dst, long d, MemorySegment src, long s, long n) {
        long j = 0;
        if (wide) {
            VectorSpecies<Double> sp = lanes.doubles();
            for (long bound = sp.loopBound(n); j < bound; j += sp.length()) {
                DoubleVector.fromMemorySegment(sp, dst, (d + j) * Double.BYTES, ORDER)
                        .add(DoubleVector.fromMemorySegment(sp, src, (s + j) * Double.BYTES, ORDER))
                        .intoMemorySegment(dst, (d + j) * Double.BYTES, ORDER);
            }
            for (; j < n; j++) {
                dst.setAtIndex(DOUBLE, d + j, dst.getAtIndex(DOUBLE, d + j) + src.getAtIndex(DOUBLE, s + j));
            }
        } else {
            VectorSpecies<Float> sp = lanes.floats();
            for (long bound = sp.loopBound(n); j < bound; j += sp.length()) {
                FloatVector.fromMemorySegment(sp, dst, (d + j) * Float.BYTES, ORDER)
                        .add(FloatVector.fromMemorySegment(sp, src, (s + j) * Float.BYTES, ORDER))
                        .intoMemorySegment(dst, (d + j) * Float.BYTES, ORDER);
            }
            for (; j < n; j++) {
                dst.setAtIndex(FLOAT, d + j, dst.getAtIndex(FLOAT, d + j) + src.getAtIndex(FLOAT, s + j));
            }
        }
    }

    /** {@code dst[d + j] = src[s + j] + bias[b]} for {@code j < n}, float64, vectorized: a product's row copied out with its channel's bias. */
    private void addScalarRun(MemorySegment dst, long d, MemorySegment src, long s, long n, MemorySegment bias, long b) {
        double v = bias.getAtIndex(DOUBLE, b);
        VectorSpecies<Double> sp = lanes.doubles();
        long j = 0;
        for (long bound = sp.loopBound(n); j < bound; j += sp.length()) {
            DoubleVector x = DoubleVector.fromMemorySegment(sp, src, (s + j) * Double.BYTES, ORDER);
            x.add(x.broadcast(v)).intoMemorySegment(dst, (d + j) * Double.BYTES, ORDER);
        }
        for (; j < n; j++) {
            dst.setAtIndex(DOUBLE, d + j, src.getAtIndex(DOUBLE, s + j) + v);
        }
    }

    private static void zero(MemorySegment m, long offset, long count, boolean wide) {
        int bytes = wide ? Double.BYTES : Float.BYTES;
        m.asSlice(offset * bytes, count * bytes).fill((byte) 0);
    }

    /** Zeroes a short run of elements (the padding of one column row). */
    private static void zeroBits(MemorySegment m, long offset, int count, int bytes) {
        if (bytes == 8) {
            for (int i = 0; i < count; i++) {
                m.setAtIndex(LONG, offset + i, 0L);
            }
        } else {
            for (int i = 0; i < count; i++) {
                m.setAtIndex(INT, offset + i, 0);
            }
        }
    }
}
