package ignis.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kernels the build packages: when nvcc was present, every .cu became a fatbin with cubins for
 * sm_80 and sm_90 and PTX for newer GPUs, the jar's index lists them, and every kernel the Java side
 * launches is in one of them. Skipped (with the reason) where the build had no nvcc.
 */
class KernelImagesTest {

    /** Every kernel name CudaBackend and CudaNeuralKernels launch. */
    static final List<String> LAUNCHED = List.of("ignis_copy", "ignis_fill", "ignis_random", "ignis_unary", "ignis_binary",
            "ignis_ternary", "ignis_reduce", "ignis_arg_extreme", "ignis_matmul", "ignis_gather", "ignis_scatter_set",
            "ignis_scatter_add", "ignis_im2col", "ignis_col2im",
            "ignis_max_pool_forward", "ignis_max_pool_backward", "ignis_avg_pool_forward", "ignis_avg_pool_backward",
            "ignis_softmax", "ignis_softmax_backward", "ignis_cross_entropy");

    private static final int FATBIN_MAGIC = 0xBA55ED50;
    private static final int KIND_PTX = 1;
    private static final int KIND_ELF = 2;

    private static List<byte[]> images() throws IOException {
        List<byte[]> images = CudaProbe.kernelImages(KernelImagesTest.class.getClassLoader());
        assumeFalse(images.isEmpty(), "this build has no kernels: nvcc was not found when backend-cuda was built");
        return images;
    }

    private static boolean nvccOnThisMachine() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(":")).map(dir -> Path.of(dir, "nvcc")), Stream.of(Path.of("/usr/local/cuda/bin/nvcc")))
                .anyMatch(Files::isExecutable);
    }

    @Test
    void whereNvccIsInstalledTheBuildPackagedTheKernels() throws IOException {
        assumeTrue(nvccOnThisMachine(), "no nvcc on this machine");
        assumeFalse("none".equals(System.getenv("NVCC")), "NVCC=none: the build skipped the kernels");
        assertEquals(5, CudaProbe.kernelImages(getClass().getClassLoader()).size(), "one fatbin per .cu file");
    }

    @Test
    void everyFatbinHoldsCubinsForSm80AndSm90AndPtx() throws IOException {
        for (byte[] image : images()) {
            ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(FATBIN_MAGIC, b.getInt(0), "a fatbin");
            int headerSize = Short.toUnsignedInt(b.getShort(6));
            long fatSize = b.getLong(8);
            assertEquals(image.length, headerSize + fatSize);
            Set<String> entries = new HashSet<>();
            for (long at = headerSize; at < headerSize + fatSize; ) {
                int offset = (int) at;
                int kind = Short.toUnsignedInt(b.getShort(offset));
                int entryHeader = b.getInt(offset + 4);
                long payload = b.getLong(offset + 8);
                int arch = b.getInt(offset + 28);
                entries.add((kind == KIND_PTX ? "ptx" : kind == KIND_ELF ? "sm" : "?") + "_" + arch);
                at += entryHeader + payload;
            }
            assertEquals(Set.of("sm_80", "sm_90", "ptx_90"), entries);
        }
    }

    @Test
    void everyLaunchedKernelIsInAnImage() throws IOException {
        List<String> images = images().stream().map(image -> new String(image, StandardCharsets.ISO_8859_1)).toList();
        for (String kernel : LAUNCHED) {
            assertTrue(images.stream().anyMatch(text -> text.contains(kernel + "\0")), kernel + " is in no fatbin");
        }
    }

    @Test
    void theIndexNamesOnlyFilesTheJarHolds() throws IOException {
        assertFalse(images().stream().anyMatch(image -> image.length == 0));
    }
}
