#!/bin/sh
# Builds target/emulator/libignis-cuda-emu.so: the CUDA kernels compiled for the CPU (see emulator.cpp),
# which EmulatedConformanceTest runs the conformance kit on. Opt-in (it costs a minute of g++);
# without it that test is skipped.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../../target/emulator"
mkdir -p "$out"
"${CXX:-g++}" -std=c++20 -O1 -fPIC -shared -pthread -o "$out/libignis-cuda-emu.so" "$here/emulator.cpp"
echo "built $out/libignis-cuda-emu.so"
