package ignis.nn;

import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.GradMode;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, as
 * {@code torch.nn.Embedding}: the weight is drawn from N(0, 1); the row of the optional padding index
 * is zero and receives no gradient.
 */
public class Embedding extends Module {

    private final long numEmbeddings;
    private final long embeddingDim;
    private final long paddingIdx;

    public Embedding(long numEmbeddings, long embeddingDim) {
        this(numEmbeddings, embeddingDim, null, DType.FLOAT32, Device.CPU);
    }

    /** With a padding index; a negative one counts from the end, as in PyTorch. */
    public Embedding(long numEmbeddings, long embeddingDim, long paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, DType.FLOAT32, Device.CPU);
    }

    /** A null padding index means none. */
    public Embedding(long numEmbeddings, long embeddingDim, Long paddingIdx, DType dtype, Device device) {
        if (numEmbeddings < 1 || embeddingDim < 0) {
            throw new IllegalArgumentException("Embedding: num_embeddings must be positive and embedding_dim non-negative, got "
                    + numEmbeddings + " and " + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = normalizePadding(paddingIdx, numEmbeddings);
        registerParameter("weight", Shape.of(numEmbeddings, embeddingDim), dtype, device);
        resetParameters();
    }

    private Embedding(Tensor weights, Long paddingIdx) {
        if (weights.dim() != 2) {
            throw new IllegalArgumentException("Embedding.fromPretrained: embeddings must be 2-D [num, dim], got " + weights.shape());
        }
        this.numEmbeddings = weights.size(0);
        this.embeddingDim = weights.size(1);
        this.paddingIdx = normalizePadding(paddingIdx, numEmbeddings);
        try (Tensor view = weights.detach(); Tensor copy = view.clone()) {
            registerParameter("weight", copy);
        }
    }

    /** An embedding holding a copy of {@code embeddings} ({@code [num, dim]}), frozen (no grad) unless told otherwise. */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze) {
        Embedding e = new Embedding(embeddings, null);
        e.weight().requiresGrad_(!freeze);
        return e;
    }

    private static long normalizePadding(Long paddingIdx, long numEmbeddings) {
        if (paddingIdx == null) {
            return -1;
        }
        long pad = paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        if (pad < 0 || pad >= numEmbeddings) {
            throw new IllegalArgumentException("Embedding: padding_idx " + paddingIdx + " must be within num_embeddings " + numEmbeddings);
        }
        return pad;
    }

    /** N(0, 1), and the padding row zero. */
    public void resetParameters() {
        Init.normal_(weight(), 0, 1);
        if (paddingIdx >= 0) {
            try (GradMode.Scope off = GradMode.noGrad(); Tensor row = weight().select(0, paddingIdx)) {
                row.fill_(0);
            }
        }
    }

    public Tensor weight() {
        return getParameter("weight");
    }

    @Override
    public Tensor forward(Tensor indices) {
        return paddingIdx >= 0 ? Functional.embedding(indices, weight(), paddingIdx) : Functional.embedding(indices, weight());
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx >= 0 ? ", padding_idx=" + paddingIdx : "");
    }
}
