// The CPU emulator of the CUDA kernels: every kernel of src/main/cuda compiled for the host, and
// ignis_emu_launch(name, grid, block, params), which EmulatedCudaApi calls through java.lang.foreign
// with the same parameter buffers cuLaunchKernel gets. Build: build.sh.
#include "emulation.h"

#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

thread_local dim3 blockIdx, threadIdx;
dim3 blockDim, gridDim;
std::barrier<>* block_barrier;

#include "../../main/cuda/elementwise.cu"
#include "../../main/cuda/reduce.cu"
#include "../../main/cuda/matmul.cu"
#include "../../main/cuda/indexing.cu"
#include "../../main/cuda/nn.cu"

template <class... A, std::size_t... I>
static void call(void (*kernel)(A...), void** params, std::index_sequence<I...>) {
    kernel(*static_cast<std::remove_reference_t<A>*>(params[I])...);
}

template <class... A>
static std::pair<int, std::function<void(void**)>> entry(void (*kernel)(A...), bool synchronizes) {
    return {synchronizes ? 1 : 0, [kernel](void** params) { call(kernel, params, std::index_sequence_for<A...>{}); }};
}

#define KERNEL(name, sync) {#name, entry(name, sync)}

static const std::unordered_map<std::string, std::pair<int, std::function<void(void**)>>> KERNELS = {
    KERNEL(ignis_copy, false), KERNEL(ignis_fill, false), KERNEL(ignis_random, false), KERNEL(ignis_unary, false),
    KERNEL(ignis_binary, false), KERNEL(ignis_ternary, false), KERNEL(ignis_reduce, true), KERNEL(ignis_reduce_parts, true),
    KERNEL(ignis_arg_extreme, false), KERNEL(ignis_matmul, true), KERNEL(ignis_gather, false),
    KERNEL(ignis_scatter_set, false), KERNEL(ignis_scatter_add, false), KERNEL(ignis_im2col, false),
    KERNEL(ignis_col2im, false),
    KERNEL(ignis_max_pool_forward, false), KERNEL(ignis_max_pool_backward, false),
    KERNEL(ignis_avg_pool_forward, false), KERNEL(ignis_avg_pool_backward, false), KERNEL(ignis_softmax, false),
    KERNEL(ignis_softmax_backward, false), KERNEL(ignis_cross_entropy, false), KERNEL(ignis_adam, false),
};

static void run_blocks(const std::function<void(void**)>& kernel, void** params, unsigned tx, unsigned ty, unsigned tz) {
    threadIdx.x = tx; threadIdx.y = ty; threadIdx.z = tz;
    for (unsigned z = 0; z < gridDim.z; z++)
        for (unsigned y = 0; y < gridDim.y; y++)
            for (unsigned x = 0; x < gridDim.x; x++) {
                blockIdx.x = x; blockIdx.y = y; blockIdx.z = z;
                kernel(params);
                if (block_barrier) block_barrier->arrive_and_wait();  // the block's statics are free again
            }
}

/** 0 on success, 1 for an unknown kernel. */
extern "C" int ignis_emu_launch(const char* name, int gx, int gy, int gz, int bx, int by, int bz, void** params) {
    auto found = KERNELS.find(name);
    if (found == KERNELS.end()) {
        return 1;
    }
    gridDim.x = gx; gridDim.y = gy; gridDim.z = gz;
    blockDim.x = bx; blockDim.y = by; blockDim.z = bz;
    const auto& kernel = found->second.second;
    if (!found->second.first) {
        // No barriers: each thread of each block in turn (grid-stride loops need no more).
        block_barrier = nullptr;
        for (unsigned z = 0; z < (unsigned) gz; z++)
            for (unsigned y = 0; y < (unsigned) gy; y++)
                for (unsigned x = 0; x < (unsigned) gx; x++) {
                    blockIdx.x = x; blockIdx.y = y; blockIdx.z = z;
                    for (unsigned tz = 0; tz < (unsigned) bz; tz++)
                        for (unsigned ty = 0; ty < (unsigned) by; ty++)
                            for (unsigned tx = 0; tx < (unsigned) bx; tx++) {
                                threadIdx.x = tx; threadIdx.y = ty; threadIdx.z = tz;
                                kernel(params);
                            }
                }
        return 0;
    }
    int threads = bx * by * bz;
    std::barrier<> barrier(threads);
    block_barrier = &barrier;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; t++) {
        unsigned tx = t % bx, ty = (t / bx) % by, tz = t / (bx * by);
        workers.emplace_back([&, tx, ty, tz] {
            // The launcher's globals are the same for all; blockIdx and threadIdx are per thread.
            run_blocks(kernel, params, tx, ty, tz);
        });
    }
    for (auto& w : workers) w.join();
    block_barrier = nullptr;
    return 0;
}
