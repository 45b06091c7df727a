#!/bin/sh
# Compiles the CUDA kernels (*.cu here) into one fatbin each: cubins for sm_80 and sm_90 plus PTX
# for compute_90, which the driver compiles for newer GPUs at load time. Run by Maven in the
# generate-resources phase; the fatbins land in $1/ignis/backend/cuda/kernels/ with an index,
# kernels.list, and are packaged as resources. Without nvcc it says so and builds nothing: the
# backend then finds no kernels and does not register. NVCC=/path/to/nvcc picks a compiler, NVCC=none
# builds no kernels (as on a machine without nvcc).
set -eu
src=$(cd "$(dirname "$0")" && pwd)
out="$1/ignis/backend/cuda/kernels"
nvcc="${NVCC:-}"
if [ "$nvcc" = none ]; then
    echo "[ignis] NVCC=none: the CUDA kernels are not built, and backend-cuda will not register on any machine"
    exit 0
fi
if [ -z "$nvcc" ]; then
    nvcc=$(command -v nvcc 2>/dev/null || true)
fi
if [ -z "$nvcc" ] && [ -x /usr/local/cuda/bin/nvcc ]; then
    nvcc=/usr/local/cuda/bin/nvcc
fi
if [ -z "$nvcc" ]; then
    echo "[ignis] nvcc not found (set NVCC or put it on the PATH): the CUDA kernels are not built, and backend-cuda will not register on any machine"
    exit 0
fi
mkdir -p "$out"
list=""
for cu in "$src"/*.cu; do
    name=$(basename "$cu" .cu)
    fatbin="$out/$name.fatbin"
    list="$list$name.fatbin
"
    stale=1
    if [ -f "$fatbin" ]; then
        stale=0
        for dep in "$cu" "$src"/*.cuh "$0"; do
            if [ "$dep" -nt "$fatbin" ]; then stale=1; fi
        done
    fi
    if [ "$stale" = 1 ]; then
        echo "[ignis] nvcc $name.cu"
        "$nvcc" -std=c++17 -O3 --fatbin \
            -gencode arch=compute_80,code=sm_80 \
            -gencode arch=compute_90,code=sm_90 \
            -gencode arch=compute_90,code=compute_90 \
            -o "$fatbin" "$cu"
    fi
done
printf '%s' "$list" > "$out/kernels.list"
"$nvcc" --version | tail -1 > "$out/nvcc.version"
