package ignis.backend.cuda;

import ignis.tensor.spi.AdamCoefficients;
import ignis.tensor.spi.OptimizerKernels;
import ignis.tensor.spi.TensorView;

/** The fused optimizer steps of one GPU (nn.cu's ignis_adam): one launch per parameter instead of a dozen. */
final class CudaOptimizerKernels implements OptimizerKernels {

    private final CudaBackend backend;

    CudaOptimizerKernels(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void adam(TensorView param, TensorView grad, TensorView expAvg, TensorView expAvgSq, TensorView maxExpAvgSq,
                     AdamCoefficients c) {
        long n = param.numel();
        backend.launch1d("ignis_adam", n, backend.args().addInt(CudaBackend.code(param)).addPointer(element0(param))
                .addPointer(element0(grad)).addPointer(element0(expAvg)).addPointer(element0(expAvgSq))
                .addPointer(maxExpAvgSq == null ? 0 : element0(maxExpAvgSq)).addInt(maxExpAvgSq == null ? 0 : 1)
                .addDouble(c.beta1()).addDouble(1 - c.beta1()).addDouble(c.beta2()).addDouble(1 - c.beta2())
                .addDouble(c.biasCorrection2Sqrt()).addDouble(c.eps()).addDouble(-c.stepSize()).addLong(n));
    }

    /** The device address of a dense view's first element. */
    private long element0(TensorView view) {
        return backend.address(view) + view.offset() * view.dtype().byteSize();
    }
}
