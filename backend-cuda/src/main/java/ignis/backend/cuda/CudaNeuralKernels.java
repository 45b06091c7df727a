package ignis.backend.cuda;

import ignis.tensor.spi.Conv2dKernels;
import ignis.tensor.spi.Conv2dParams;
import ignis.tensor.spi.Pool2dKernels;
import ignis.tensor.spi.Pool2dParams;
import ignis.tensor.spi.SoftmaxKernels;
import ignis.tensor.spi.TensorView;

/**
 * The optional training kernels of one GPU (nn.cu): 2-D convolution and its two gradients (as
 * {@link Im2colConvolution} computes them),
 * max and average pooling with their gradients, softmax and log-softmax with theirs. NCHW views of
 * float32 or float64, through their strides.
 */
final class CudaNeuralKernels implements Conv2dKernels, Pool2dKernels, SoftmaxKernels {

    private final CudaBackend backend;
    final Im2colConvolution convolution;

    CudaNeuralKernels(CudaBackend backend) {
        this.backend = backend;
        this.convolution = new Im2colConvolution(backend);
    }

    /** Conv2dParams as nn.cu's ConvParams struct. */
    static int[] conv(Conv2dParams p) {
        return new int[] {p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW(), p.groups()};
    }

    private static int[] pool(Pool2dParams p) {
        return new int[] {p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW(),
                p.ceilMode() ? 1 : 0, p.countIncludePad() ? 1 : 0};
    }

    @Override
    public void forward(TensorView out, TensorView input, TensorView weight, TensorView bias, Conv2dParams params) {
        convolution.forward(out, input, weight, bias, params);
    }

    @Override
    public void backwardInput(TensorView gradInput, TensorView gradOut, TensorView weight, Conv2dParams params) {
        convolution.backwardInput(gradInput, gradOut, weight, params);
    }

    @Override
    public void backwardWeight(TensorView gradWeight, TensorView gradOut, TensorView input, Conv2dParams params) {
        convolution.backwardWeight(gradWeight, gradOut, input, params);
    }

    @Override
    public void maxForward(TensorView out, TensorView indices, TensorView input, Pool2dParams params) {
        long n = out.numel();
        backend.launch1d("ignis_max_pool_forward", n, backend.args().addView(out).addInt(CudaBackend.code(out))
                .addPointer(backend.address(out)).addView(indices).addPointer(backend.address(indices))
                .addView(input).addPointer(backend.address(input)).addInts(pool(params)).addLong(n));
    }

    @Override
    public void maxBackward(TensorView gradInput, TensorView gradOut, TensorView indices, Pool2dParams params) {
        backend.fill(gradInput, 0);
        long n = gradOut.numel();
        backend.launch1d("ignis_max_pool_backward", n, backend.args().addView(gradInput).addInt(CudaBackend.code(gradInput))
                .addPointer(backend.address(gradInput)).addView(gradOut).addPointer(backend.address(gradOut))
                .addView(indices).addPointer(backend.address(indices)).addLong(n));
    }

    @Override
    public void avgForward(TensorView out, TensorView input, Pool2dParams params) {
        long n = out.numel();
        backend.launch1d("ignis_avg_pool_forward", n, backend.args().addView(out).addInt(CudaBackend.code(out))
                .addPointer(backend.address(out)).addView(input).addPointer(backend.address(input)).addInts(pool(params)).addLong(n));
    }

    @Override
    public void avgBackward(TensorView gradInput, TensorView gradOut, Pool2dParams params) {
        long n = gradInput.numel();
        backend.launch1d("ignis_avg_pool_backward", n, backend.args().addView(gradInput).addInt(CudaBackend.code(gradInput))
                .addPointer(backend.address(gradInput)).addView(gradOut).addPointer(backend.address(gradOut))
                .addInts(pool(params)).addLong(n));
    }

    @Override
    public void softmax(TensorView out, TensorView in, int dim) {
        softmax(0, out, in, dim);
    }

    @Override
    public void logSoftmax(TensorView out, TensorView in, int dim) {
        softmax(1, out, in, dim);
    }

    private void softmax(int mode, TensorView out, TensorView in, int dim) {
        long rows = in.numel() / in.shape()[dim];
        TensorView o = lastDim(out, dim);
        TensorView i = lastDim(in, dim);
        backend.launch1d("ignis_softmax", rows, backend.args().addInt(mode).addView(o).addInt(CudaBackend.code(o))
                .addPointer(backend.address(o)).addView(i).addPointer(backend.address(i)).addLong(rows));
    }

    @Override
    public void softmaxBackward(TensorView gradIn, TensorView gradOut, TensorView out, int dim) {
        softmaxBackward(0, gradIn, gradOut, out, dim);
    }

    @Override
    public void logSoftmaxBackward(TensorView gradIn, TensorView gradOut, TensorView out, int dim) {
        softmaxBackward(1, gradIn, gradOut, out, dim);
    }

    private void softmaxBackward(int mode, TensorView gradIn, TensorView gradOut, TensorView out, int dim) {
        long rows = out.numel() / out.shape()[dim];
        TensorView gi = lastDim(gradIn, dim);
        TensorView go = lastDim(gradOut, dim);
        TensorView o = lastDim(out, dim);
        backend.launch1d("ignis_softmax_backward", rows, backend.args().addInt(mode).addView(gi).addInt(CudaBackend.code(gi))
                .addPointer(backend.address(gi)).addView(go).addPointer(backend.address(go))
                .addView(o).addPointer(backend.address(o)).addLong(rows));
    }

    /** The same view with axis {@code dim} moved last: the softmax kernels walk lines along the last axis. */
    static TensorView lastDim(TensorView view, int dim) {
        int rank = view.rank();
        long[] shape = new long[rank];
        long[] strides = new long[rank];
        for (int d = 0, j = 0; d < rank; d++) {
            if (d != dim) {
                shape[j] = view.shape()[d];
                strides[j++] = view.strides()[d];
            }
        }
        shape[rank - 1] = view.shape()[dim];
        strides[rank - 1] = view.strides()[dim];
        return new TensorView(view.storage(), view.dtype(), view.offset(), shape, strides);
    }
}
