/**
 * The API level of the conformance kit: the public tensor API, run on the backend under test, held
 * to PyTorch's semantics with independently computed values. A backend module adds one test class
 * extending {@link ignis.tck.api.TensorApiKit}.
 */
@Export
@Version("0.1.0")
package ignis.tck.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
