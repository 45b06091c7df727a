/**
 * Optimizers and learning-rate schedulers, in the style of torch.optim.
 */
@Export
@Version("0.1.0")
package ignis.optim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
