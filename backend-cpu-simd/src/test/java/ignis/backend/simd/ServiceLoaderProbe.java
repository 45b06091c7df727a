package ignis.backend.simd;

import ignis.tensor.spi.Backend;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Run in a child JVM by {@link VectorSupportTest}: loads the backends on the class path the way the
 * registry does (skipping providers that fail with ServiceConfigurationError or LinkageError) and
 * prints what it found and what it skipped.
 */
public final class ServiceLoaderProbe {

    private ServiceLoaderProbe() {
    }

    public static void main(String[] args) {
        Iterator<Backend> providers = ServiceLoader.load(Backend.class).iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    break;
                }
                Backend backend = providers.next();
                String width = backend instanceof SimdBackend simd ? " " + simd.vectorBits() + " bits" : "";
                System.out.println("found: " + backend.name() + " ranking " + backend.ranking() + width);
            } catch (ServiceConfigurationError | LinkageError e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                System.out.println("skipped: " + e.getClass().getSimpleName() + ": " + cause);
            }
        }
        System.out.println("done");
    }
}
