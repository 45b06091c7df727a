/**
 * Neural network modules, layers, losses and initialisation, in the style of torch.nn.
 */
@Export
@Version("0.1.0")
package ignis.nn;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
