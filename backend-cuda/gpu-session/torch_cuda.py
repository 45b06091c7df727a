"""PyTorch on cuda:0, same recipe as ../shared/bench/torch_fashion_mnist.py: batches sliced on the host
and copied to the GPU each step (as Ignis's DataLoader does); epoch = training loop, synchronized."""
import gzip, struct, sys, time, json
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
MEAN, STD, BATCH = 0.2860, 0.3530, 64
dev = torch.device("cuda:0")
def read_idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f: data = f.read()
    _, _, ndim = struct.unpack(">HBB", data[:4])
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)
def load(d, prefix):
    x = (read_idx(f"{d}/{prefix}-images-idx3-ubyte").astype(np.float32) / 255.0 - MEAN) / STD
    return torch.from_numpy(x).unsqueeze(1).contiguous(), torch.from_numpy(read_idx(f"{d}/{prefix}-labels-idx1-ubyte").astype(np.int64))
def make(kind):
    if kind == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))
def train(kind, epochs, d, seed=0):
    xtr, ytr = load(d, "train"); xte, yte = load(d, "t10k")
    torch.manual_seed(seed); model = make(kind).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3); gen = torch.Generator().manual_seed(seed)
    n = xtr.shape[0]
    for ep in range(1, epochs + 1):
        perm = torch.randperm(n, generator=gen); model.train(); torch.cuda.synchronize(); t0 = time.perf_counter()
        for i in range(0, n, BATCH):
            idx = perm[i:i + BATCH]
            xb, yb = xtr[idx].to(dev), ytr[idx].to(dev)
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
        torch.cuda.synchronize(); dt = time.perf_counter() - t0
        model.eval(); correct = 0
        with torch.no_grad():
            for i in range(0, xte.shape[0], 1000):
                correct += (model(xte[i:i + 1000].to(dev)).argmax(1).cpu() == yte[i:i + 1000]).sum().item()
        print(f"torch cuda {kind} epoch {ep}: {dt:.2f} s, {n / dt:.0f} samples/s, test acc {correct / xte.shape[0]:.4f}, loss {loss.item():.4f}", flush=True)
def gemm(sizes, tf32):
    torch.backends.cuda.matmul.allow_tf32 = tf32
    for n in sizes:
        a = torch.randn(n, n, device=dev); b = torch.randn(n, n, device=dev)
        for _ in range(5): a @ b
        torch.cuda.synchronize(); reps = max(5, int(2e11 / (2 * n ** 3))); t0 = time.perf_counter()
        for _ in range(reps): a @ b
        torch.cuda.synchronize(); dt = (time.perf_counter() - t0) / reps
        print(f"torch cuda gemm {n}^3 {'tf32' if tf32 else 'fp32'}: {dt * 1e3:.4f} ms, {2 * n ** 3 / dt / 1e12:.2f} TFLOP/s", flush=True)
if __name__ == "__main__":
    if sys.argv[1] == "gemm":
        gemm([int(s) for s in sys.argv[2].split(",")], False); gemm([int(s) for s in sys.argv[2].split(",")], True)
    else:
        train(sys.argv[1], int(sys.argv[2]), sys.argv[3])
