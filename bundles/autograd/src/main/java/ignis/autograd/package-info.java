/**
 * Reverse-mode automatic differentiation over the dynamic graph, as {@code torch.autograd}: the
 * functional {@link ignis.autograd.Autograd#grad}, custom functions with their own backward
 * ({@link ignis.autograd.Function}), and {@link ignis.autograd.GradCheck}. The engine itself is a
 * service that the tensor core calls; {@code Tensor.backward()} reaches it.
 */
@Export
@Version("0.1.0")
package ignis.autograd;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
