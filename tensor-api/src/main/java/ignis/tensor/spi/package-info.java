/**
 * The backend SPI: what a compute backend implements to run Ignis tensors on its device.
 * Semantically versioned: adding to it is a minor change, breaking it a major one.
 */
@Export
@Version("0.7.0")
package ignis.tensor.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
