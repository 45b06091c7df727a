package ignis.backend.simd;

import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.LONG;

import ignis.tensor.DType;
import ignis.tensor.spi.ComputePool;
import ignis.tensor.spi.Pool2dKernels;
import ignis.tensor.spi.Pool2dParams;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.MemorySegment;

/**
 * Max and average 2-D pooling (NCHW, float32 and float64) and their gradients, as PyTorch's CPU
 * kernels compute them, one plane ({@code n, c}) at a time, the planes split over the
 * {@link ComputePool}. Views are read through their strides, so no operand is copied.
 * <ul>
 * <li>max: the window starts at {@code o*stride - pad}, steps by the dilation and is clipped to the
 *     input; the maximum is the first largest element in row-major order, and a NaN is the maximum
 *     (the last NaN of the window, as in PyTorch); the index is {@code h*W + w} in the plane.</li>
 * <li>avg: the sum of the window clipped to the input, divided by the window's size clipped to the
 *     padded input (countIncludePad) or to the input alone.</li>
 * </ul>
 * The common 2x2, stride 2 max pooling of float32 planes dense along rows, and its gradient where the
 * windows tile the plane, are vectorized ({@link MaxPool2x2}).
 */
final class PoolKernels implements Pool2dKernels {

    PoolKernels() {
    }

    /** The geometry of one pooling and the strides of the views it reads and writes. */
    private record Plane(int n, int c, int h, int w, int oh, int ow, Pool2dParams p) {

        static Plane of(long[] in, long[] out, Pool2dParams p) {
            return new Plane(Math.toIntExact(in[0]), Math.toIntExact(in[1]), Math.toIntExact(in[2]), Math.toIntExact(in[3]),
                    Math.toIntExact(out[2]), Math.toIntExact(out[3]), p);
        }

        long planes() {
            return (long) n * c;
        }

        /** The grain of the plane loop: enough planes for some ten thousand elements. */
        long grain() {
            return Math.max(1, 16384 / Math.max(1, (long) h * w));
        }
    }

    /** The element offset of plane {@code i} ({@code n*C + c}) of a 4-d view. */
    private static long planeOffset(TensorView v, Plane g, long i) {
        return v.offset() + (i / g.c) * v.strides()[0] + (i % g.c) * v.strides()[1];
    }

    @Override
    public void maxForward(TensorView out, TensorView indices, TensorView input, Pool2dParams p) {
        Plane g = Plane.of(input.shape(), out.shape(), p);
        MemorySegment o = Elements.segment(out);
        MemorySegment idx = Elements.segment(indices);
        MemorySegment x = Elements.segment(input);
        boolean wide = input.dtype() == DType.FLOAT64;
        long xsh = input.strides()[2];
        long xsw = input.strides()[3];
        long osh = out.strides()[2];
        long osw = out.strides()[3];
        long ish = indices.strides()[2];
        long isw = indices.strides()[3];
        boolean pairs = !wide && xsw == 1 && osw == 1 && isw == 1 && MaxPool2x2.fits(g.h, g.w) && MaxPool2x2.twoByTwo(p)
                && 2 * g.oh <= g.h && 2 * g.ow <= g.w;
        ComputePool.forRange(g.planes(), g.grain(), (from, to) -> {
            for (long plane = from; plane < to; plane++) {
                long xo = planeOffset(input, g, plane);
                long oo = planeOffset(out, g, plane);
                long io = planeOffset(indices, g, plane);
                if (pairs) {
                    MaxPool2x2.plane(g.oh, g.ow, g.w, x, xo, xsh, o, oo, osh, idx, io, ish);
                    continue;
                }
                for (int oy = 0; oy < g.oh; oy++) {
                    int y0 = oy * p.strideH() - p.padH();
                    int y1 = Math.min(y0 + (p.kernelH() - 1) * p.dilationH() + 1, g.h);
                    while (y0 < 0) {
                        y0 += p.dilationH();
                    }
                    for (int ox = 0; ox < g.ow; ox++) {
                        int x0 = ox * p.strideW() - p.padW();
                        int x1 = Math.min(x0 + (p.kernelW() - 1) * p.dilationW() + 1, g.w);
                        while (x0 < 0) {
                            x0 += p.dilationW();
                        }
                        long best = (long) y0 * g.w + x0;
                        double max = Double.NEGATIVE_INFINITY;
                        for (int y = y0; y < y1; y += p.dilationH()) {
                            long row = xo + y * xsh;
                            for (int xx = x0; xx < x1; xx += p.dilationW()) {
                                double v = wide ? x.getAtIndex(DOUBLE, row + xx * xsw) : x.getAtIndex(FLOAT, row + xx * xsw);
                                if (v > max || Double.isNaN(v)) {
                                    max = v;
                                    best = (long) y * g.w + xx;
                                }
                            }
                        }
                        long at = oo + oy * osh + ox * osw;
                        if (wide) {
                            o.setAtIndex(DOUBLE, at, max);
                        } else {
                            o.setAtIndex(FLOAT, at, (float) max);
                        }
                        idx.setAtIndex(LONG, io + oy * ish + ox * isw, best);
                    }
                }
            }
        });
    }

    @Override
    public void maxBackward(TensorView gradInput, TensorView gradOut, TensorView indices, Pool2dParams p) {
        Plane g = Plane.of(gradInput.shape(), gradOut.shape(), p);
        MemorySegment gi = Elements.segment(gradInput);
        MemorySegment go = Elements.segment(gradOut);
        MemorySegment idx = Elements.segment(indices);
        boolean wide = gradInput.dtype() == DType.FLOAT64;
        long gsh = gradInput.strides()[2];
        long gsw = gradInput.strides()[3];
        long osh = gradOut.strides()[2];
        long osw = gradOut.strides()[3];
        long ish = indices.strides()[2];
        long isw = indices.strides()[3];
        boolean densePlane = gsw == 1 && gsh == g.w; // an index is then the element's offset in the plane, with no division
        boolean tiles = !wide && densePlane && osw == 1 && isw == 1 && MaxPool2x2.fits(g.h, g.w) && MaxPool2x2.twoByTwo(p)
                && g.h == 2 * g.oh && g.w == 2 * g.ow;
        ComputePool.forRange(g.planes(), g.grain(), (from, to) -> {
            for (long plane = from; plane < to; plane++) {
                long gio = planeOffset(gradInput, g, plane);
                long goo = planeOffset(gradOut, g, plane);
                long io = planeOffset(indices, g, plane);
                if (tiles && MaxPool2x2.planeBackward(g.oh, g.ow, g.w, gi, gio, go, goo, osh, idx, io, ish)) {
                    continue;
                }
                zeroPlane(gi, gio, gsh, gsw, g, wide);
                for (int oy = 0; oy < g.oh; oy++) {
                    for (int ox = 0; ox < g.ow; ox++) {
                        long index = idx.getAtIndex(LONG, io + oy * ish + ox * isw);
                        long at = densePlane ? gio + index : gio + (index / g.w) * gsh + (index % g.w) * gsw;
                        long from1 = goo + oy * osh + ox * osw;
                        if (wide) {
                            gi.setAtIndex(DOUBLE, at, gi.getAtIndex(DOUBLE, at) + go.getAtIndex(DOUBLE, from1));
                        } else {
                            gi.setAtIndex(FLOAT, at, gi.getAtIndex(FLOAT, at) + go.getAtIndex(FLOAT, from1));
                        }
                    }
                }
            }
        });
    }

    private static void zeroPlane(MemorySegment m, long offset, long sh, long sw, Plane g, boolean wide) {
        if (sw == 1 && sh == g.w) {
            int bytes = wide ? Double.BYTES : Float.BYTES;
            m.asSlice(offset * bytes, (long) g.h * g.w * bytes).fill((byte) 0);
            return;
        }
        for (int y = 0; y < g.h; y++) {
            for (int xx = 0; xx < g.w; xx++) {
                long at = offset + y * sh + xx * sw;
                if (wide) {
                    m.setAtIndex(DOUBLE, at, 0d);
                } else {
                    m.setAtIndex(FLOAT, at, 0f);
                }
            }
        }
    }

    /** The window of output {@code o} along one axis, clipped: start, end and the divisor's factor. */
    private static int divisorFactor(int o, int stride, int pad, int kernel, int in, boolean includePad) {
        int start = o * stride - pad;
        int end = Math.min(start + kernel, in + pad);
        int size = end - start;
        if (!includePad) {
            size = Math.min(end, in) - Math.max(start, 0);
        }
        return size;
    }

    @Override
    public void avgForward(TensorView out, TensorView input, Pool2dParams p) {
        Plane g = Plane.of(input.shape(), out.shape(), p);
        MemorySegment o = Elements.segment(out);
        MemorySegment x = Elements.segment(input);
        boolean wide = input.dtype() == DType.FLOAT64;
        long xsh = input.strides()[2];
        long xsw = input.strides()[3];
        long osh = out.strides()[2];
        long osw = out.strides()[3];
        ComputePool.forRange(g.planes(), g.grain(), (from, to) -> {
            for (long plane = from; plane < to; plane++) {
                long xo = planeOffset(input, g, plane);
                long oo = planeOffset(out, g, plane);
                for (int oy = 0; oy < g.oh; oy++) {
                    int y0 = oy * p.strideH() - p.padH();
                    int y1 = Math.min(y0 + p.kernelH(), g.h + p.padH());
                    int fy = divisorFactor(oy, p.strideH(), p.padH(), p.kernelH(), g.h, p.countIncludePad());
                    y0 = Math.max(y0, 0);
                    y1 = Math.min(y1, g.h);
                    for (int ox = 0; ox < g.ow; ox++) {
                        int x0 = ox * p.strideW() - p.padW();
                        int x1 = Math.min(x0 + p.kernelW(), g.w + p.padW());
                        int fx = divisorFactor(ox, p.strideW(), p.padW(), p.kernelW(), g.w, p.countIncludePad());
                        x0 = Math.max(x0, 0);
                        x1 = Math.min(x1, g.w);
                        double sum = 0;
                        for (int y = y0; y < y1; y++) {
                            long row = xo + y * xsh;
                            for (int xx = x0; xx < x1; xx++) {
                                sum += wide ? x.getAtIndex(DOUBLE, row + xx * xsw) : x.getAtIndex(FLOAT, row + xx * xsw);
                            }
                        }
                        double v = y0 >= y1 || x0 >= x1 ? 0 : sum / ((double) fy * fx);
                        long at = oo + oy * osh + ox * osw;
                        if (wide) {
                            o.setAtIndex(DOUBLE, at, v);
                        } else {
                            o.setAtIndex(FLOAT, at, (float) v);
                        }
                    }
                }
            }
        });
    }

    @Override
    public void avgBackward(TensorView gradInput, TensorView gradOut, Pool2dParams p) {
        Plane g = Plane.of(gradInput.shape(), gradOut.shape(), p);
        MemorySegment gi = Elements.segment(gradInput);
        MemorySegment go = Elements.segment(gradOut);
        boolean wide = gradInput.dtype() == DType.FLOAT64;
        long gsh = gradInput.strides()[2];
        long gsw = gradInput.strides()[3];
        long osh = gradOut.strides()[2];
        long osw = gradOut.strides()[3];
        ComputePool.forRange(g.planes(), g.grain(), (from, to) -> {
            for (long plane = from; plane < to; plane++) {
                long gio = planeOffset(gradInput, g, plane);
                long goo = planeOffset(gradOut, g, plane);
                zeroPlane(gi, gio, gsh, gsw, g, wide);
                for (int oy = 0; oy < g.oh; oy++) {
                    int y0 = Math.max(oy * p.strideH() - p.padH(), 0);
                    int y1 = Math.min(oy * p.strideH() - p.padH() + p.kernelH(), g.h);
                    int fy = divisorFactor(oy, p.strideH(), p.padH(), p.kernelH(), g.h, p.countIncludePad());
                    for (int ox = 0; ox < g.ow; ox++) {
                        int x0 = Math.max(ox * p.strideW() - p.padW(), 0);
                        int x1 = Math.min(ox * p.strideW() - p.padW() + p.kernelW(), g.w);
                        int fx = divisorFactor(ox, p.strideW(), p.padW(), p.kernelW(), g.w, p.countIncludePad());
                        long from1 = goo + oy * osh + ox * osw;
                        double share = (wide ? go.getAtIndex(DOUBLE, from1) : go.getAtIndex(FLOAT, from1)) / ((double) fy * fx);
                        for (int y = y0; y < y1; y++) {
                            long row = gio + y * gsh;
                            for (int xx = x0; xx < x1; xx++) {
                                long at = row + xx * gsw;
                                if (wide) {
                                    gi.setAtIndex(DOUBLE, at, gi.getAtIndex(DOUBLE, at) + share);
                                } else {
                                    gi.setAtIndex(FLOAT, at, (float) (gi.getAtIndex(FLOAT, at) + share));
                                }
                            }
                        }
                    }
                }
            }
        });
    }
}
