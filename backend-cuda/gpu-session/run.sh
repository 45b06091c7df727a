#!/bin/bash
# On the GPU machine, from the repository root, with gpu/ as prepare.sh made it:
#   bash gpu/run.sh STAGE...
# Stages: env (the GPU, driver, cuBLAS and PyTorch found), kit (backend-cuda's tests on cuda:0; KIT_CLASSES
# picks test classes), mlp:E and cnn:E (./ignis train on cuda:0 for E epochs; jfr-mlp:E and jfr-cnn:E
# record a flight recording too), torch (the same models in PyTorch on the GPU), torch-gemm, bench
# (./ignis bench BENCH_GROUPS on cuda:0). Logs, JSON and recordings go to $OUT.
g=$(pwd)/gpu
w=${TMPDIR:-/tmp}/ignis-gpu
out=${OUT:-$w/out}
mkdir -p "$w" "$out"
log() { echo "=== $* ($(date +%T))"; }
# python3 unpacks: the machines have PyTorch's Python, xz may be missing
[ -x "$w/jdk/bin/java" ] || python3 -c "import tarfile; tarfile.open('$g/jdk.tar.xz').extractall('$w')"
[ -d "$w/fm" ] || python3 -c "
import glob, lzma, os
os.makedirs('$w/fm')
for f in glob.glob('$g/fm/*.xz'):
    open('$w/fm/' + os.path.basename(f)[:-3], 'wb').write(lzma.open(f).read())"
java=$w/jdk/bin/java
export LD_PRELOAD=$w/jdk/lib/libjsig.so
for stage in "$@"; do
  case $stage in
    env) log env; nvidia-smi -L; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
         ldconfig -p | grep -iE "cublas|libcuda\.so"; python3 -c "import torch; print(torch.__version__, torch.cuda.get_device_name(0))" ;;
    kit) log kit; timeout "${KIT_T:-200}" "$java" @"$g/jvm.options" -cp "$g/kitlib/*" ignis.backend.cuda.GpuKitMain ${KIT_CLASSES:-} 2>&1 \
           | tee "$out/kit.log" | grep -vE "^\s+at |DeviceEvents publish|INFO: (added|lost|migrated)" | tail -c 60000 ;;
    mlp:*|cnn:*|jfr-mlp:*|jfr-cnn:*)
      model=${stage%%:*}; epochs=${stage##*:}; jfr=
      if [ "${model#jfr-}" != "$model" ]; then model=${model#jfr-}; jfr="-XX:StartFlightRecording=filename=$out/$model.jfr,settings=profile"; fi
      log train "$model" "$epochs" epochs $jfr
      timeout "${TRAIN_T:-150}" "$java" @"$g/jvm.options" $jfr -jar "$g/runtime/ignis-runtime.jar" train --model "$model" --epochs "$epochs" \
          --device cuda:0 --data "$w/fm" --out "$w/out-$model" --json "$out/$model-$epochs.json" 2>&1 \
        | tr '\r' '\n' | grep -E "epoch [0-9]|rror|xception|at ign|written" | tail -40 ;;
    torch) log torch; timeout "${TORCH_T:-150}" python3 "$g/torch_cuda.py" mlp "${MLP_EPOCHS:-3}" "$w/fm"
           timeout "${TORCH_T:-150}" python3 "$g/torch_cuda.py" cnn "${CNN_EPOCHS:-2}" "$w/fm" ;;
    torch-gemm) log torch gemm; timeout 60 python3 "$g/torch_cuda.py" gemm 256,1024,2048,4096,8192 ;;
    bench) log bench; timeout "${BENCH_T:-120}" "$java" @"$g/jvm.options" -jar "$g/runtime/ignis-runtime.jar" bench ${BENCH_GROUPS:-gemm} \
             --device cuda:0 --sizes "${BENCH_SIZES:-256,1024,2048,4096,8192}" --json "$out/bench.json" 2>&1 | tail -40 ;;
    *) echo "unknown stage '$stage'"; exit 2 ;;
  esac
done
log done
