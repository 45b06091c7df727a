/**
 * Neural network modules, layers, losses and initialisation, in the style of torch.nn, so that
 * PyTorch model code ports line by line.
 *
 * <ul>
 *   <li>{@link ignis.nn.Module}: parameters, buffers and submodules by name, dotted names, modes,
 *       devices, state dicts; the containers {@link ignis.nn.Sequential}, {@link ignis.nn.ModuleList}
 *       and {@link ignis.nn.ModuleDict}.</li>
 *   <li>Layers with PyTorch's default initialisation ({@link ignis.nn.Linear}, {@link ignis.nn.Conv2d},
 *       {@link ignis.nn.BatchNorm2d}, ...), activations, and losses ({@link ignis.nn.CrossEntropyLoss}, ...).</li>
 *   <li>{@link ignis.nn.Functional} (torch.nn.functional), {@link ignis.nn.Init} (torch.nn.init) and
 *       {@link ignis.nn.GradClipping} (torch.nn.utils.clip_grad_*).</li>
 * </ul>
 *
 * <p>Memory: a module owns its parameters and buffers (no scope closes them) and releases them in
 * {@link ignis.nn.Module#close()}; every function and forward returns a new tensor handle that the
 * caller's {@link ignis.tensor.TensorScope} closes. Run each training step in a scope, and evaluate
 * under {@link ignis.tensor.GradMode#noGrad()}: a recorded graph that is never differentiated keeps
 * its saved tensors until the garbage collector's cleaner frees them.
 */
@Export
@Version("0.1.0")
package ignis.nn;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
