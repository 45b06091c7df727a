/**
 * Data sets and their loading, as PyTorch's {@code torch.utils.data}: {@link ignis.data.Dataset},
 * {@link ignis.data.TensorDataset}, {@link ignis.data.Subset}, {@link ignis.data.ConcatDataset},
 * {@link ignis.data.Datasets#randomSplit}, samplers, and the {@link ignis.data.DataLoader} that
 * batches, shuffles with a seed and prefetches on worker threads; and the readers of data set files:
 * IDX (the MNIST family's format) and Fashion-MNIST.
 * Files are read defensively: headers and sizes are checked and a corrupt or truncated file is
 * reported with its name and the byte offset of the problem.
 */
@Export
@Version("0.5.0")
package ignis.data;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
