"""The numpy side of `ignis bench gemm --compare` for the products of a training step.

torch_bench.py times square matmuls only; the issue's reference for GEMM is numpy's float32 matmul
on OpenBLAS, so this times numpy.matmul on the training shapes, laid out as the Ignis figures are
(nn: A[m,k] @ B[k,n]; tn: A read through a transpose of [k,m]; nt: B through a transpose of [n,k]).
The thread count goes to OpenBLAS through its environment, set before numpy loads it.

usage: numpy_gemm.py --threads T --repeat R --min-sample SECONDS --cases m,k,n,layout;... --json FILE
writes {"pooled": [{"results": [{"name": "numpy gemm_tn 784x64x256", "unit": "GFLOP/s", "median": ..,
"min": .., "samples": [..]}]}]}, the layout of torch_bench.py's --json.
"""
import argparse
import json
import math
import os
import time


def measure(fn, repeat, min_sample):
    """Seconds per call: `repeat` samples, each of as many calls as fill `min_sample` seconds."""
    fn()
    t0 = time.perf_counter()
    fn()
    one = max(time.perf_counter() - t0, 1e-7)
    k = max(1, int(math.ceil(min_sample / one)))
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(k):
            fn()
        samples.append((time.perf_counter() - t0) / k)
    return samples


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--min-sample", type=float, default=0.05)
    p.add_argument("--cases", required=True)
    p.add_argument("--json", required=True)
    args = p.parse_args()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    import numpy as np

    rng = np.random.default_rng(0)
    results = []
    for case in args.cases.split(";"):
        m, k, n, layout = case.split(",")
        m, k, n = int(m), int(k), int(n)
        a = rng.standard_normal((k, m), dtype=np.float32).T if layout == "tn" else rng.standard_normal((m, k), dtype=np.float32)
        b = rng.standard_normal((n, k), dtype=np.float32).T if layout == "nt" else rng.standard_normal((k, n), dtype=np.float32)
        rates = sorted(2.0 * m * k * n / s / 1e9 for s in measure(lambda: np.matmul(a, b), args.repeat, args.min_sample))
        results.append(dict(name=f"numpy gemm_{layout} {m}x{k}x{n}", unit="GFLOP/s", median=rates[len(rates) // 2],
                            min=rates[0], samples=rates))
    with open(args.json, "w") as f:
        json.dump(dict(pooled=[dict(results=results)]), f)


if __name__ == "__main__":
    main()
