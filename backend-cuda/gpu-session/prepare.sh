#!/bin/sh
# Prepares backend-cuda/target/gpu-kit: everything needed to run this module's tests (the conformance
# kit on cuda:0 included) on a machine with a GPU and nothing else installed, such as the `device`
# tool's machines. Run on the build machine (JDK 25, Maven, nvcc); see README.md.
#
#   target/gpu-kit/jdk.tar.gz   a jlink'd Java 25 runtime (~25 MiB; java.xml is for Felix SCR)
#   target/gpu-kit/lib/         the test class path: this module, its dependencies, JUnit
#   target/gpu-kit/run.sh       unpacks the runtime and runs GpuKitMain [TestClass...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
kit="$here/target/gpu-kit"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME

cd "$root"
mvn -B -q -o -pl backend-cuda package -DskipTests
mvn -B -q -o -pl backend-cuda dependency:copy-dependencies -DincludeScope=test -DoutputDirectory="$kit/lib"
cp "$here/target/backend-cuda-"*.jar "$kit/lib/"
(cd "$here/target/test-classes" && "$JAVA_HOME/bin/jar" --create --file "$kit/lib/backend-cuda-tests.jar" .)
cp "$root/cnf/jvm.options" "$kit/jvm.options"

if [ ! -f "$kit/jdk.tar.gz" ]; then
    rm -rf "$kit/jdk"
    "$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,java.xml,jdk.unsupported,jdk.incubator.vector \
        --compress zip-9 --strip-debug --no-header-files --no-man-pages --output "$kit/jdk"
    tar -C "$kit" -czf "$kit/jdk.tar.gz" jdk
    rm -rf "$kit/jdk"
fi

cat > "$kit/run.sh" <<'RUN'
#!/bin/sh
# On the GPU machine, from the repository root: sh backend-cuda/target/gpu-kit/run.sh [TestClass...]
set -eu
kit=$(cd "$(dirname "$0")" && pwd)
work=${TMPDIR:-/tmp}/ignis-gpu-kit
mkdir -p "$work"
[ -x "$work/jdk/bin/java" ] || tar -C "$work" -xzf "$kit/jdk.tar.gz"
nvidia-smi -L 2>/dev/null || echo "nvidia-smi: not found"
exec "$work/jdk/bin/java" @"$kit/jvm.options" -cp "$kit/lib/*" ignis.backend.cuda.GpuKitMain "$@"
RUN
du -sh "$kit" "$kit/jdk.tar.gz" "$kit/lib"
