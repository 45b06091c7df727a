package ignis.backend.opencl;

import ignis.tensor.spi.Pool2dKernels;
import ignis.tensor.spi.Pool2dParams;
import ignis.tensor.spi.TensorView;

/**
 * The optional pooling kernels, NCHW: max and average pooling and their gradients (float32 and
 * float64, computed in double where the device has it). Backward pooling runs one work item per
 * (n, c) plane, so that overlapping windows never race.
 *
 * <p>Convolutions are {@link ClConv}'s.
 */
final class ClPool implements Pool2dKernels {

    private final OpenCLBackend backend;

    ClPool(OpenCLBackend backend) {
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
}
