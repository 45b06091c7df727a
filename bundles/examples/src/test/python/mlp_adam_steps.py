#!/usr/bin/env python3
"""Reference losses for TorchParityTest: the main job's MLP, PyTorch's Adam (lr 1e-3), 8 steps.

Weights are a closed formula (so no file is needed): for the layer with index L (0, 1, 2), weight
[out, in] is 0.05 * sin(0.37 * o + 0.11 * i + L) and bias [out] is 0.01 * cos(0.5 * o + L), computed
in float64 and rounded to float32. The data are the first 8 * 64 Fashion-MNIST training images in
file order, standardised as the main job does: (pixels / 255 - 0.2860) / 0.3530.

    /usr/bin/python3 mlp_adam_steps.py    # prints the 8 losses pasted into TorchParityTest
"""
import gzip
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
DATA = "/usr/share/datasets/fashion-mnist/"


def idx(name):
    data = gzip.open(DATA + name).read()
    dims = struct.unpack(">" + "I" * data[3], data[4:4 + 4 * data[3]])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * data[3]).reshape(dims)


x = torch.from_numpy((idx("train-images-idx3-ubyte.gz")[:512].astype(np.float32) / 255 - 0.2860) / 0.3530)
y = torch.from_numpy(idx("train-labels-idx1-ubyte.gz")[:512].astype(np.int64))
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
with torch.no_grad():
    for layer, linear in enumerate([model[1], model[3], model[5]]):
        o = np.arange(linear.out_features)[:, None]
        i = np.arange(linear.in_features)[None, :]
        linear.weight.copy_(torch.from_numpy((0.05 * np.sin(0.37 * o + 0.11 * i + layer)).astype(np.float32)))
        linear.bias.copy_(torch.from_numpy((0.01 * np.cos(0.5 * o[:, 0] + layer)).astype(np.float32)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in range(8):
    loss = F.cross_entropy(model(x[step * 64:(step + 1) * 64]), y[step * 64:(step + 1) * 64])
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("%.7f" % loss.item())
