/**
 * Data sets and the readers of their files: IDX (the MNIST family's format) and Fashion-MNIST.
 * Files are read defensively: headers and sizes are checked and a corrupt or truncated file is
 * reported with its name and the byte offset of the problem.
 */
@Export
@Version("0.1.0")
package ignis.data;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
