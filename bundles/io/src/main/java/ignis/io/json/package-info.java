/** JSON read and written defensively: bounded nesting, errors with the byte offset. */
@Export
@Version("0.1.0")
package ignis.io.json;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
