#!/usr/bin/env python3
"""Writes the training-equivalence fixture: the PyTorch reference's losses over its first 20 training steps.

The model is the reference's own (`ConvNet(attention=True)` from ../shared/bench/peer_pytorch.py, imported,
not copied), trained with exactly its recipe: train mode, CrossEntropyLoss, AdamW (lr 5e-4, weight decay
1e-3), zero_grad / backward / step, batches of 128. Initial weights and batches come from closed-form
formulas instead of a random generator, so harlab's test (Tests/HARKitTests/TrainingEquivalenceTests.swift)
rebuilds exactly the same float32 values without a weight file. The formulas (mirrored in
Tests/HARKitTests/TrainingEquivalenceSupport.swift):

  hash(i, s)     32-bit mix of index i and stream s (below); uniform(i, s) = (hash + 0.5) / 2^32 * 2 - 1
  weights        state-dict entry number k (0-based, state_dict order), flat index i:
                 conv/linear weight and bias: float32(bound * uniform(i, k + 1)), bound = 1/sqrt(fan_in) of the
                 layer's weight (PyTorch's default init); batch-norm weight 1, bias 0, running mean 0,
                 running var 1, num_batches_tracked 0
  labels         window n (0-based over all batches): hash(n, 1000) mod classes
  windows        x[n, 0, t, c] = float32(1.5 * uniform(n*T*C + t*C + c, 2000) + uniform(y_n*T*C + t*C + c, 3000)):
                 noise plus a per-class pattern, so the model learns and the loss falls over the 20 steps

All the arithmetic before the final float32 rounding is exact in float64, so both sides get identical bits.

Output: Tests/HARKitTests/Fixtures/training/equivalence.json, one entry per (dataset shape, batch size): the 20
float32 losses and, per state-dict entry, the L1 norm of its change over the 20 steps; and both again for the same
20 steps in float64 (the model converted to float64 after loading the float32 initial weights, the float32 batches
converted to float64). The float64 run is the reference harlab's float64 run must match tightly, on any CPU; its
distance from the float32 run is how far float32 rounding alone moves the results, which bounds harlab's float32
run (the test, Tests/HARKitTests/TrainingEquivalenceTests.swift, explains the bounds).
Run: ~/peer/bin/python scripts/make_training_equivalence_fixture.py [--cases uci:128,oppo:32]
"""
import argparse, json, os, sys

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS, LR, WEIGHT_DECAY = 20, 5e-4, 1e-3
MASK = 0xFFFFFFFF


def hash32(index, stream):
    """A 32-bit integer mix of `index` (uint64 array) and `stream` (int), computed modulo 2^32."""
    h = (index * 0x9E3779B1 + stream * 0x85EBCA77 + 0x165667B1) & MASK
    h ^= h >> 15
    h = (h * 0x2C1B3C6D) & MASK
    h ^= h >> 12
    h = (h * 0x297A2D39) & MASK
    h ^= h >> 15
    return h


def uniform(index, stream):
    """Values in (-1, 1), exact in float64."""
    return (hash32(index, stream).astype(np.float64) + 0.5) / 2.0 ** 32 * 2.0 - 1.0


def initial_state(net):
    """The deterministic initial state dict (float32 tensors) for `net`, by the formula in the module doc."""
    entries = net.state_dict()
    state = {}
    for k, (name, tensor) in enumerate(entries.items()):
        owner, _, leaf = name.rpartition(".")
        if leaf == "running_var":
            state[name] = torch.ones_like(tensor)
            continue
        if leaf in ("running_mean", "num_batches_tracked"):
            state[name] = torch.zeros_like(tensor)
            continue
        weight = entries[owner + ".weight"]
        if weight.dim() == 1:  # batch norm: weight 1, bias 0
            state[name] = torch.ones_like(tensor) if leaf == "weight" else torch.zeros_like(tensor)
            continue
        fan_in = int(np.prod(weight.shape[1:]))
        bound = 1.0 / np.sqrt(float(fan_in))
        index = np.arange(tensor.numel(), dtype=np.uint64)
        values = (bound * uniform(index, k + 1)).astype(np.float32)
        state[name] = torch.from_numpy(values.reshape(tuple(tensor.shape)))
    return state


def batches(T, C, classes, batch):
    """STEPS batches of `batch` windows [B, 1, T, C] float32 with int64 labels, by the formula in the module doc."""
    n = np.arange(STEPS * batch, dtype=np.uint64)
    labels = (hash32(n, 1000) % classes).astype(np.int64)
    cell = np.arange(T * C, dtype=np.uint64)
    noise = uniform(n[:, None] * np.uint64(T * C) + cell[None, :], 2000)
    pattern = uniform(labels.astype(np.uint64)[:, None] * np.uint64(T * C) + cell[None, :], 3000)
    x = (1.5 * noise + pattern).astype(np.float32).reshape(STEPS, batch, 1, T, C)
    y = labels.reshape(STEPS, batch)
    return [(torch.from_numpy(x[s]), torch.from_numpy(y[s])) for s in range(STEPS)]


def train(peer, model, T, C, classes, batch, dtype=torch.float32):
    """The reference recipe's first STEPS steps in `dtype` (float64: the same steps without float32 rounding);
    returns the losses, each state entry's L1 change and the parameter count."""
    net = peer.build(model, T, C, classes)
    net.load_state_dict(initial_state(net))
    net.to(dtype)
    start = {name: tensor.detach().clone().double() for name, tensor in net.state_dict().items()}
    opt = torch.optim.AdamW(net.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    loss_fn = nn.CrossEntropyLoss()
    net.train()
    losses = []
    for xb, yb in batches(T, C, classes, batch):
        loss = loss_fn(net(xb.to(dtype)).to(dtype), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    change = {name: float((tensor.detach().double() - start[name]).abs().sum())
              for name, tensor in net.state_dict().items()}
    parameters = sum(p.numel() for p in net.parameters())
    return losses, change, parameters


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cases", default="uci:128,oppo:32", help="SHAPE:BATCH pairs, shapes from peer_pytorch.py SHAPES")
    p.add_argument("--model", default="sa")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--peer", default=os.path.join(HERE, "..", "..", "shared", "bench"), help="folder of peer_pytorch.py")
    p.add_argument("--out", default=os.path.join(HERE, "..", "Tests", "HARKitTests", "Fixtures", "training", "equivalence.json"))
    a = p.parse_args()
    sys.path.insert(0, a.peer)
    import peer_pytorch

    torch.set_num_threads(a.threads)
    cases = []
    for case in a.cases.split(","):
        shape, batch = case.split(":")
        T, C, classes = peer_pytorch.SHAPES[shape]
        losses, change, parameters = train(peer_pytorch, a.model, T, C, classes, int(batch))
        exact, exact_change, _ = train(peer_pytorch, a.model, T, C, classes, int(batch), torch.float64)
        spread = max(abs(x - e) / abs(e) for x, e in zip(losses, exact))
        print(f"{a.model} {shape} batch {batch}: {parameters} parameters, loss {losses[0]:.5f} -> {losses[-1]:.5f}, "
              f"largest relative float32-float64 difference {spread:.2e}", file=sys.stderr)
        cases.append({"model": a.model, "dataset": shape, "time": T, "channels": C, "classes": classes,
                      "batch": int(batch), "steps": STEPS, "learning_rate": LR, "weight_decay": WEIGHT_DECAY,
                      "parameters": parameters, "losses": losses, "float64_losses": exact, "change_l1": change,
                      "float64_change_l1": exact_change})
    document = {"tool": "pytorch-" + torch.__version__, "script": "scripts/make_training_equivalence_fixture.py", "cases": cases}
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    temporary = a.out + ".tmp"
    with open(temporary, "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    os.replace(temporary, a.out)


if __name__ == "__main__":
    main()
