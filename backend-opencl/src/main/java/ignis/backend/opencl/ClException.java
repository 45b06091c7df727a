package ignis.backend.opencl;

/** An OpenCL call failed: the message names the kernel or call, the device and the OpenCL error code. */
final class ClException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int code;

    ClException(String message, int code) {
        super(message);
        this.code = code;
    }
}
