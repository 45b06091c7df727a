/**
 * Tensor files: {@link ignis.io.SafeTensors} reads and writes the safetensors format of the
 * Hugging Face ecosystem (files written by Python's {@code safetensors} read here, and the other way
 * round). Files are written atomically (a temporary file in the same folder, then a rename) and read
 * defensively: every size and offset is checked against the file before anything is allocated, and
 * a damaged file is reported as a {@link ignis.io.SafeTensorsFormatException} naming the file, the
 * tensor and the byte offset or field. Nothing here uses Java serialization or pickle.
 */
@Export
@Version("0.1.0")
package ignis.io;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
