#!/bin/sh
# Prepares the folder gpu/ at the repository root (git-ignored): everything a GPU session needs on a
# machine that has a GPU and nothing else, such as the `device` tool's machines (64 MiB at most travel):
#
#   gpu/jdk.tar.xz   a jlink'd Java 25 runtime (~22 MiB; java.xml for Felix SCR, java.desktop for the
#                    training's PNG plot, jdk.httpserver for the examples bundle, jdk.jfr for profiling)
#   gpu/kitlib/      backend-cuda's test class path (the conformance kit on cuda:0 among them)
#   gpu/runtime/     the embedded runtime, as ./ignis build leaves it (train and bench on cuda:0)
#   gpu/fm/          Fashion-MNIST, recompressed with xz (26 MiB instead of 30)
#   gpu/run.sh, gpu/torch_cuda.py, gpu/jvm.options
#
# Run on the build machine (JDK 25, Maven, nvcc, the Debian dataset) from anywhere; see README.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
gpu="$root/gpu"
data=${IGNIS_DATA:-/usr/share/datasets/fashion-mnist}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME

cd "$root"
./ignis build >/dev/null
mvn -B -q -o -pl backend-cuda test-compile
rm -rf "$gpu/kitlib" "$gpu/runtime"
mkdir -p "$gpu/kitlib" "$gpu/fm"
mvn -B -q -o -pl backend-cuda dependency:copy-dependencies -DincludeScope=test -DoutputDirectory="$gpu/kitlib"
cp backend-cuda/target/backend-cuda-*.jar "$gpu/kitlib/"
(cd backend-cuda/target/test-classes && "$JAVA_HOME/bin/jar" --create --file "$gpu/kitlib/backend-cuda-tests.jar" .)
cp -r bundles/runtime/target/ignis-runtime "$gpu/runtime"
cp cnf/jvm.options "$here/run.sh" "$here/torch_cuda.py" "$gpu/"

if [ ! -f "$gpu/jdk.tar.xz" ]; then
    rm -rf "$gpu/jdk"
    "$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,java.xml,java.desktop,jdk.httpserver,jdk.jfr,jdk.unsupported,jdk.incubator.vector \
        --strip-debug --no-header-files --no-man-pages --output "$gpu/jdk"
    tar -C "$gpu" -cJf "$gpu/jdk.tar.xz" jdk
    rm -rf "$gpu/jdk"
fi
for f in "$data"/*-ubyte.gz; do
    name=$(basename "$f" .gz)
    [ -f "$gpu/fm/$name.xz" ] || gzip -dc "$f" | xz -9 > "$gpu/fm/$name.xz"
done
du -sh "$gpu"
