#!/usr/bin/env python3
"""Writes the model-parity fixture: for every kind of model harlab builds, the PyTorch forward pass, loss and one
SGD step of an independently written PyTorch version (scripts/har_models_torch.py), in float64.

Weights and windows come from closed-form formulas, so harlab's test (Tests/HARKitTests/ModelParityTests.swift)
rebuilds exactly the same float64 values from the state-dict names alone:

  hash(i, s), uniform(i, s)   as scripts/make_training_equivalence_fixture.py: a 32-bit mix of index i and stream s,
                              uniform = (hash + 0.5) / 2^32 * 2 - 1, in (-1, 1) and exact in float64
  weights                     state-dict entry number k in the *sorted* list of names, flat index i:
                              running_var 1; running_mean, num_batches_tracked 0;
                              a 1-D weight/bias whose layer's weight is 1-D (batch/layer norm): weight 1 + 0.1·u,
                              bias 0.1·u;
                              any other tensor bound·u with bound = 1/sqrt(fan_in), fan_in = the product of the trailing
                              sizes of the tensor itself when it has 2+ dimensions, else of its sibling weight (the
                              name with "bias" replaced by "weight": `head.bias` → `head.weight`,
                              `lstm.bias_ih_l0` → `lstm.weight_ih_l0`, `…in_proj_bias` → `…in_proj_weight`)
                              where u = uniform(i, k + 1)
  windows                     x[n, 0, t, c] = 2·uniform(n·T·C + t·C + c, 2000); labels hash(n, 1000) mod K

Every case runs, in float64, train mode (batch statistics, dropout 0):
  logits and cross-entropy loss; backward; one SGD step (lr 0.1, momentum 0.9, weight decay 1e-2);
  then, per state-dict entry, the sum and the L1 norm of (after − before) (running statistics included);
  and the eval-mode logits after the step (running statistics and updated weights together).
The same is done in float32 for the record (`float32_loss`): how far float32 rounding alone moves the loss.

Output: Tests/HARKitTests/Fixtures/models/parity.json.
Run: /usr/bin/python3 scripts/make_model_parity_fixture.py   (Debian's python3-torch 1.13, the libtorch harlab builds on)
"""
import argparse, json, os, sys

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from har_models_torch import HARNet  # noqa: E402
# The weight formula is the training-equivalence fixture's, so both fixtures fill weights the same way.
from make_training_equivalence_fixture import hash32, uniform  # noqa: E402

T, C, K, B = 32, 5, 3, 4
LR, MOMENTUM, WEIGHT_DECAY = 0.1, 0.9, 1e-2
# Every model kind `help model` lists, with small sizes (the options are harlab's `model` options) and dropout 0 so a
# training-mode pass is deterministic.
CASES = [
    ("sa", {"width": 4}), ("cnn", {"width": 4}), ("ca", {"width": 4}), ("resnet", {"width": 4}),
    ("lstm", {"hidden": 8}), ("gru", {"hidden": 8}), ("transformer", {"hidden": 8, "heads": 2, "dropout": 0}),
    ("deepconvlstm", {"width": 4, "hidden": 8, "dropout": 0}),
    ("attn+lstm", {"width": 4, "hidden": 8}), ("sa+gru", {"width": 4, "hidden": 8}),
    ("sa+transformer", {"width": 4, "hidden": 8, "heads": 2, "dropout": 0}), ("cnn+lstm", {"width": 4, "hidden": 8}),
    ("ca+gru", {"width": 4, "hidden": 8}), ("resnet+transformer", {"width": 4, "hidden": 8, "heads": 2, "dropout": 0}),
]


def formula_state(net):
    """The formula's float64 state dict for `net` (see the module doc)."""
    entries = net.state_dict()
    state = {}
    for k, name in enumerate(sorted(entries)):
        tensor = entries[name]
        owner, _, leaf = name.rpartition(".")
        prefix = owner + "." if owner else ""
        if leaf == "running_var":
            state[name] = torch.ones_like(tensor)
            continue
        if leaf in ("running_mean", "num_batches_tracked"):
            state[name] = torch.zeros_like(tensor)
            continue
        u = uniform(np.arange(tensor.numel(), dtype=np.uint64), k + 1)
        sibling = entries.get(prefix + leaf.replace("bias", "weight"))
        if tensor.dim() == 1 and sibling is not None and sibling.dim() == 1:
            values = (1.0 + 0.1 * u) if leaf == "weight" else 0.1 * u
        else:
            shape = tensor.shape if tensor.dim() >= 2 else sibling.shape
            values = 1.0 / np.sqrt(float(np.prod(shape[1:]))) * u
        state[name] = torch.from_numpy(values.reshape(tuple(tensor.shape)))
    return state


def batch():
    n = np.arange(B, dtype=np.uint64)
    labels = (hash32(n, 1000) % K).astype(np.int64)
    cell = np.arange(T * C, dtype=np.uint64)
    x = 2.0 * uniform(n[:, None] * np.uint64(T * C) + cell[None, :], 2000)
    return torch.from_numpy(x.reshape(B, 1, T, C)), torch.from_numpy(labels)


def run(spec, options, dtype):
    net = HARNet(spec, T, C, K, **options).to(dtype)
    net.load_state_dict(formula_state(net))  # float64 formula values, rounded once to `dtype` by the copy
    before = {name: t.detach().clone().double() for name, t in net.state_dict().items()}
    x, y = batch()
    net.train()
    optimizer = torch.optim.SGD(net.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)
    logits = net(x.to(dtype))
    loss = nn.functional.cross_entropy(logits, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    change = {name: t.detach().double() - before[name] for name, t in net.state_dict().items()}
    net.eval()
    with torch.no_grad():
        after = net(x.to(dtype))
    return {
        "parameters": sum(p.numel() for p in net.parameters()),
        "state_names": list(net.state_dict()),
        "logits": logits.detach().double().flatten().tolist(),
        "loss": loss.item(),
        "change_sum": {name: float(d.sum()) for name, d in change.items()},
        "change_l1": {name: float(d.abs().sum()) for name, d in change.items()},
        "eval_logits_after_step": after.double().flatten().tolist(),
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", default=os.path.join(HERE, "..", "Tests", "HARKitTests", "Fixtures", "models", "parity.json"))
    a = p.parse_args()
    torch.set_num_threads(1)
    cases = []
    for spec, options in CASES:
        exact = run(spec, options, torch.float64)
        rounded = run(spec, options, torch.float32)
        print(f"{spec:20s} {exact['parameters']:6d} parameters, loss {exact['loss']:.12f} (float32 {rounded['loss']:.8f})",
              file=sys.stderr)
        cases.append({"model": spec, "options": {k: float(v) for k, v in options.items()}, **exact,
                      "float32_loss": rounded["loss"]})
    document = {"tool": "pytorch-" + torch.__version__, "script": "scripts/make_model_parity_fixture.py",
                "time": T, "channels": C, "classes": K, "batch": B,
                "learning_rate": LR, "momentum": MOMENTUM, "weight_decay": WEIGHT_DECAY, "cases": cases}
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    temporary = a.out + ".tmp"
    with open(temporary, "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    os.replace(temporary, a.out)


if __name__ == "__main__":
    main()
