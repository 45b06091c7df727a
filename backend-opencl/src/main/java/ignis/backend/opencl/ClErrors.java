package ignis.backend.opencl;

/** OpenCL error codes by name, for messages. */
final class ClErrors {

    private ClErrors() {
    }

    static String name(int code) {
        return switch (code) {
            case 0 -> "CL_SUCCESS";
            case -1 -> "CL_DEVICE_NOT_FOUND";
            case -2 -> "CL_DEVICE_NOT_AVAILABLE";
            case -3 -> "CL_COMPILER_NOT_AVAILABLE";
            case -4 -> "CL_MEM_OBJECT_ALLOCATION_FAILURE";
            case -5 -> "CL_OUT_OF_RESOURCES";
            case -6 -> "CL_OUT_OF_HOST_MEMORY";
            case -11 -> "CL_BUILD_PROGRAM_FAILURE";
            case -30 -> "CL_INVALID_VALUE";
            case -33 -> "CL_INVALID_DEVICE";
            case -34 -> "CL_INVALID_CONTEXT";
            case -36 -> "CL_INVALID_COMMAND_QUEUE";
            case -38 -> "CL_INVALID_MEM_OBJECT";
            case -44 -> "CL_INVALID_PROGRAM";
            case -45 -> "CL_INVALID_PROGRAM_EXECUTABLE";
            case -46 -> "CL_INVALID_KERNEL_NAME";
            case -48 -> "CL_INVALID_KERNEL";
            case -49 -> "CL_INVALID_ARG_INDEX";
            case -50 -> "CL_INVALID_ARG_VALUE";
            case -51 -> "CL_INVALID_ARG_SIZE";
            case -52 -> "CL_INVALID_KERNEL_ARGS";
            case -54 -> "CL_INVALID_WORK_GROUP_SIZE";
            case -61 -> "CL_INVALID_BUFFER_SIZE";
            case -1001 -> "CL_PLATFORM_NOT_FOUND_KHR";
            default -> "OpenCL error";
        };
    }

    static boolean outOfMemory(int code) {
        return code == -4 || code == -5 || code == -6;
    }
}
