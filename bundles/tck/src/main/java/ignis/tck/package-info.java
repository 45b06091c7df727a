/**
 * The backend conformance kit: the JUnit 5 tests every Ignis backend runs against itself. A backend
 * module extends {@link ignis.tck.BackendConformanceKit} in its tests and returns its backend; the
 * kit then checks every primitive kernel of the SPI against its own float64 (or exact) reference
 * evaluation, over contiguous, strided, broadcast, rank-0 and in-place operands.
 */
@Export
@Version("0.1.0")
package ignis.tck;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
