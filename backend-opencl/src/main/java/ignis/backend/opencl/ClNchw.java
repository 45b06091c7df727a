package ignis.backend.opencl;

import ignis.tensor.spi.Conv2dKernels;
import ignis.tensor.spi.Conv2dParams;
import ignis.tensor.spi.Pool2dKernels;
import ignis.tensor.spi.Pool2dParams;
import ignis.tensor.spi.TensorView;

/**
 * The optional NCHW kernels: direct 2-D convolution and its two gradients, max and average pooling
 * and theirs (float32 and float64, computed in double where the device has it). Backward pooling runs
 * one work item per (n, c) plane, so that overlapping windows never race.
 */
final class ClNchw implements Conv2dKernels, Pool2dKernels {

    private final OpenCLBackend backend;

    ClNchw(OpenCLBackend backend) {
        this.backend = backend;
    }

    /** The t4 struct of a 4-d view: offset, strides, sizes. */
    private static long[] t4(TensorView v) {
        long[] s = v.strides();
        long[] d = v.shape();
        return new long[] {v.offset(), s[0], s[1], s[2], s[3], d[0], d[1], d[2], d[3]};
    }

    private static long[] params(Pool2dParams p) {
        return new long[] {p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW(),
            p.ceilMode() ? 1 : 0, p.countIncludePad() ? 1 : 0, 1};
    }

    private static long[] params(Conv2dParams p) {
        return new long[] {0, 0, p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW(), 0, 0, p.groups()};
    }

    private void pool(int mode, TensorView out, TensorView indices, TensorView in, Pool2dParams p, long workItems) {
        String name = "pool_" + KernelSource.tag(out.dtype());
        TensorView idx = indices != null ? indices : out;
        backend.launch(name, () -> KernelSource.pool(name, out.dtype()), workItems, t4(out), t4(idx), t4(in), params(p), out, idx, in, mode);
    }

    @Override
    public void maxForward(TensorView out, TensorView indices, TensorView input, Pool2dParams params) {
        pool(0, out, indices, input, params, out.numel());
    }

    @Override
    public void avgForward(TensorView out, TensorView input, Pool2dParams params) {
        pool(1, out, null, input, params, out.numel());
    }

    @Override
    public void maxBackward(TensorView gradInput, TensorView gradOut, TensorView indices, Pool2dParams params) {
        pool(2, gradInput, indices, gradOut, params, gradInput.shape()[0] * gradInput.shape()[1]);
    }

    @Override
    public void avgBackward(TensorView gradInput, TensorView gradOut, Pool2dParams params) {
        pool(3, gradInput, null, gradOut, params, gradInput.shape()[0] * gradInput.shape()[1]);
    }

    private void conv(int mode, TensorView out, TensorView x, TensorView y, TensorView bias, Conv2dParams p) {
        String name = "conv_" + KernelSource.tag(out.dtype());
        TensorView z = bias != null ? bias : out;
        long zoff = bias != null ? bias.offset() : 0;
        long zstride = bias != null ? bias.strides()[0] : 0;
        backend.launch(name, () -> KernelSource.conv(name, out.dtype()), out.numel(), t4(out), t4(x), t4(y), params(p),
                out, x, y, z, zoff, zstride, bias != null ? 1 : 0, mode);
    }

    @Override
    public void forward(TensorView out, TensorView input, TensorView weight, TensorView bias, Conv2dParams params) {
        conv(0, out, input, weight, bias, params);
    }

    @Override
    public void backwardInput(TensorView gradInput, TensorView gradOut, TensorView weight, Conv2dParams params) {
        conv(1, gradInput, gradOut, weight, null, params);
    }

    @Override
    public void backwardWeight(TensorView gradWeight, TensorView gradOut, TensorView input, Conv2dParams params) {
        conv(2, gradWeight, gradOut, input, null, params);
    }
}
