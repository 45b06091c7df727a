/**
 * Tensors and the values that describe them: devices, and the registry of backends that run them.
 */
@Export
@Version("0.5.0")
package ignis.tensor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
