package ignis.backend.opencl;

import ignis.tensor.spi.SoftmaxKernels;
import ignis.tensor.spi.TensorView;

/** Softmax and log-softmax along one dim, and their gradients: one work item per row, in double where the device has it. */
final class ClSoftmax implements SoftmaxKernels {

    private final OpenCLBackend backend;

    ClSoftmax(OpenCLBackend backend) {
        this.backend = backend;
    }

    @Override
    public void softmax(TensorView out, TensorView in, int dim) {
        run(0, out, in, in, dim);
    }

    @Override
    public void logSoftmax(TensorView out, TensorView in, int dim) {
        run(1, out, in, in, dim);
    }

    @Override
    public void softmaxBackward(TensorView gradIn, TensorView gradOut, TensorView out, int dim) {
        run(2, gradIn, gradOut, out, dim);
    }

    @Override
    public void logSoftmaxBackward(TensorView gradIn, TensorView gradOut, TensorView out, int dim) {
        run(3, gradIn, gradOut, out, dim);
    }

    private void run(int mode, TensorView out, TensorView a, TensorView b, int dim) {
        long[] rows = out.shape().clone();
        long n = rows[dim];
        rows[dim] = 1;
        long[] g = Geometry.pack(rows, new long[] {out.offset(), a.offset(), b.offset(), 0}, out.strides(), a.strides(), b.strides());
        String name = "softmax_" + KernelSource.tag(out.dtype());
        backend.launch(name, () -> KernelSource.softmax(name, out.dtype()), g[1], g, out, a, b,
                n, out.strides()[dim], a.strides()[dim], b.strides()[dim], mode);
    }
}
