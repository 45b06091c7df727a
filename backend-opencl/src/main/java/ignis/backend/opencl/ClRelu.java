package ignis.backend.opencl;

import ignis.tensor.spi.ReluKernels;
import ignis.tensor.spi.TensorView;

/** ReLU's gradient in one launch, one work item per element: the gradient where the output is positive, else 0. */
final class ClRelu implements ReluKernels {

    private final OpenCLBackend backend;

    ClRelu(OpenCLBackend backend) {
        this.backend = backend;
    }

    @Override
    public void reluBackward(TensorView gradIn, TensorView gradOut, TensorView out) {
        long[] g = Geometry.pack(gradIn.shape(), new long[] {gradIn.offset(), gradOut.offset(), out.offset(), 0}, gradIn.strides(),
                gradOut.strides(), out.strides());
        String name = "relu_backward_" + KernelSource.tag(gradIn.dtype());
        backend.launch(name, () -> KernelSource.reluBackward(name, gradIn.dtype()), g[1], g, gradIn, gradOut, out);
    }
}
