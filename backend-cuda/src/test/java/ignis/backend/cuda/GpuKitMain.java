package ignis.backend.cuda;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.util.List;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs this module's tests (the conformance kit on cuda:0 among them) without Maven, on a machine
 * that has a GPU but no build tools: see backend-cuda/README.md and gpu-session/prepare.sh. Arguments are test
 * class names (simple names in this package); none runs {@link #ALL}. Prints the
 * failures and a {@code N passed, N failed, N skipped} line; exits 1 when something failed. The
 * environment variable {@code IGNIS_KIT_TAGS} (such as {@code copy,unary}) keeps only the kit's groups
 * with those tags.
 */
public final class GpuKitMain {

    /** The test classes run by default: named, because scanning jars needs jdk.zipfs, which the kit's runtime leaves out. */
    static final List<String> ALL = List.of("CudaBackendConformanceTest", "GpuNeuralKernelsTest", "GpuEvacuationTest",
            "SkipPathTest", "KernelImagesTest",
            "OsgiBundlesTest", "FakeDeviceBackendTest", "GemmTest", "CachingAllocatorTest", "KernelArgsTest");

    private GpuKitMain() {
    }

    public static void main(String[] args) {
        List<String> names = args.length == 0 ? ALL : List.of(args);
        List<DiscoverySelector> selectors = names.stream()
                .map(name -> (DiscoverySelector) selectClass(GpuKitMain.class.getPackageName() + "." + name)).toList();
        LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request().selectors(selectors);
        String tags = System.getenv("IGNIS_KIT_TAGS"); // such as copy,unary: the kit's groups
        if (tags != null && !tags.isBlank()) {
            builder.filters(TagFilter.includeTags(tags.split(",")));
        }
        LauncherDiscoveryRequest request = builder.build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.getFailures().forEach(failure -> {
            String message = String.valueOf(failure.getException().getMessage());
            out.println("FAILED " + failure.getTestIdentifier().getLegacyReportingName() + ": "
                    + (message.length() > 2000 ? message.substring(0, 2000) + " ..." : message));
        });
        out.println(summary.getTestsSucceededCount() + " passed, " + summary.getTotalFailureCount() + " failed, "
                + (summary.getTestsSkippedCount() + summary.getTestsAbortedCount()) + " skipped");
        System.exit(summary.getTotalFailureCount() == 0 ? 0 : 1);
    }
}
