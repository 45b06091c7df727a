#!/usr/bin/env python3
"""PyTorch's starting point of the main job, for TorchTrajectory: the initial weights that
torch.manual_seed(SEED) gives the reference script's model, and the shuffling orders of its first
epochs (torch.randperm with a Generator seeded SEED), written as one safetensors file.

    /usr/bin/python3 torch_start.py mlp|cnn SEED OUT.safetensors [EPOCHS]

The models and seeding are those of ../shared/bench/torch_fashion_mnist.py.
"""
import json
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

kind, seed, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
epochs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
torch.manual_seed(seed)
if kind == "mlp":
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
else:
    model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1),
                          nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))
generator = torch.Generator().manual_seed(seed)
tensors = {k: v.detach().numpy() for k, v in model.state_dict().items()}
for epoch in range(epochs):
    tensors[f"perm.{epoch}"] = torch.randperm(60000, generator=generator).numpy()
header, blobs, offset = {}, [], 0
for name, array in tensors.items():
    floating = array.dtype == np.float32
    data = array.astype("<f4" if floating else "<i8").tobytes()
    header[name] = {"dtype": "F32" if floating else "I64", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
    offset += len(data)
    blobs.append(data)
encoded = json.dumps(header).encode()
encoded += b" " * ((8 - len(encoded) % 8) % 8)
with open(out, "wb") as f:
    f.write(struct.pack("<Q", len(encoded)))
    f.write(encoded)
    for data in blobs:
        f.write(data)
