"""Produces the PyTorch reference fixtures of TorchTests (run with ~/peer/bin/python from the package root).

    ~/peer/bin/python Tests/TorchTests/Fixtures/make_fixtures.py

Writes, beside this script:
- layers.pt          forward outputs and gradients of each layer for fixed weights and inputs
- optimizers.pt      parameters after a few Adam/AdamW/SGD steps, learning rates of StepLR and
                     cosine annealing, and clip_grad_norm_ before/after values
- python_state_dict.pt  a real `torch.save(model.state_dict())` (an OrderedDict with `_metadata`)
- python_state_dict.json its names, shapes and values as JSON, to check the loader independently
- single_entry.pt    a one-entry dict (pickled with SETITEM rather than SETITEMS)
- nested_checkpoint.pt  {"model": state_dict, "scale": tensor}, read as dotted names
- checkpoint_with_epoch.pt  {"model": state_dict, "epoch": 3}, which the loader must reject naming "epoch"

Then it asks Swift to write a state dict (StateDictInteropTests with HARLAB_SWIFT_STATE_OUT set) and checks
that Python's `torch.load` (default `weights_only=True`) opens it with the expected names and values.
Pass --skip-swift to leave out that last step.
"""
import json
import os
import subprocess
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def record(out, case, module, inputs, forward):
    """Runs `forward(module, *inputs)`, back-propagates sum(output * upstream) and stores everything under `case.`."""
    for name, value in module.state_dict().items():
        out[f"{case}.param.{name}"] = value.detach().clone()
    for i, x in enumerate(inputs):
        out[f"{case}.input{i}"] = x.detach().clone()
        x.requires_grad_(True)
    results = forward(module, *inputs)
    output = results[0]
    upstream = torch.randn_like(output)
    (output * upstream).sum().backward()
    out[f"{case}.output"] = output.detach().clone()
    out[f"{case}.upstream"] = upstream
    for key, extra in results[1].items():
        out[f"{case}.{key}"] = extra.detach().clone()
    for i, x in enumerate(inputs):
        out[f"{case}.grad.input{i}"] = x.grad.clone()
    for name, p in module.named_parameters():
        out[f"{case}.grad.{name}"] = p.grad.clone()
    for name, b in module.named_buffers():
        out[f"{case}.after.{name}"] = b.detach().clone()


def randomize_affine(module):
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn_like(p))


def layer_fixtures():
    out = {}
    torch.manual_seed(1)
    plain = lambda m, x: (m(x), {})
    record(out, "linear", nn.Linear(4, 3), [torch.randn(2, 4)], plain)
    record(out, "conv1d", nn.Conv1d(3, 4, 3, stride=2, padding=1), [torch.randn(2, 3, 9)], plain)
    record(out, "conv1d_grouped", nn.Conv1d(4, 6, 3, padding=2, dilation=2, groups=2, bias=False), [torch.randn(2, 4, 7)], plain)
    record(out, "conv2d", nn.Conv2d(2, 3, (3, 2), stride=(2, 1), padding=(1, 0)), [torch.randn(2, 2, 5, 4)], plain)
    bn = nn.BatchNorm1d(3)
    randomize_affine(bn)
    record(out, "batchnorm_train", bn, [torch.randn(4, 3, 5)], plain)
    bn_eval = nn.BatchNorm2d(3)
    randomize_affine(bn_eval)
    with torch.no_grad():
        bn_eval.running_mean.copy_(torch.randn(3))
        bn_eval.running_var.copy_(torch.rand(3) + 0.5)
    bn_eval.eval()
    record(out, "batchnorm_eval", bn_eval, [torch.randn(2, 3, 4, 2)], plain)
    ln = nn.LayerNorm([5])
    randomize_affine(ln)
    record(out, "layernorm", ln, [torch.randn(2, 3, 5)], plain)
    record(out, "sequential", nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 2)), [torch.randn(3, 4)], plain)

    def recurrent_lstm(m, x):
        y, (h, c) = m(x)
        return y, {"h": h, "c": c}

    def recurrent_gru(m, x):
        y, h = m(x)
        return y, {"h": h}

    record(out, "lstm", nn.LSTM(4, 5, num_layers=2, batch_first=True, bidirectional=True), [torch.randn(2, 6, 4)], recurrent_lstm)
    record(out, "lstm_single", nn.LSTM(3, 4, batch_first=True), [torch.randn(3, 5, 3)], recurrent_lstm)
    record(out, "gru", nn.GRU(4, 5, num_layers=2, batch_first=True, bidirectional=True), [torch.randn(2, 6, 4)], recurrent_gru)

    def attention(m, x):
        y, w = m(x, x, x, need_weights=True, average_attn_weights=False)
        return y, {"weights": w}

    mha = nn.MultiheadAttention(8, 2, batch_first=True)
    with torch.no_grad():
        mha.in_proj_bias.copy_(torch.randn(24) * 0.1)
        mha.out_proj.bias.copy_(torch.randn(8) * 0.1)
    record(out, "mha", mha, [torch.randn(2, 5, 8)], attention)
    causal = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)
    padding = torch.tensor([[False] * 5, [False, False, False, True, True]])
    out["mha_masked.attn_mask"], out["mha_masked.key_padding_mask"] = causal, padding

    def masked_attention(m, x):
        memory = x.flip(1) * 0.5  # keys and values differ from the queries
        y, w = m(x, memory, memory, attn_mask=causal, key_padding_mask=padding, need_weights=True, average_attn_weights=False)
        return y, {"weights": w}

    record(out, "mha_masked", nn.MultiheadAttention(8, 4, batch_first=True), [torch.randn(2, 5, 8)], masked_attention)
    record(out, "transformer_post", nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True),
           [torch.randn(2, 5, 8)], plain)
    record(out, "transformer_pre_gelu",
           nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, activation="gelu", batch_first=True, norm_first=True),
           [torch.randn(2, 5, 8)], plain)
    return out


def optimizer_fixtures():
    out = {}
    torch.manual_seed(2)
    x, y = torch.randn(5, 3), torch.randn(5, 4)
    p0, p1 = torch.randn(3, 4), torch.randn(4)
    out.update({"problem.x": x, "problem.y": y, "problem.p0": p0, "problem.p1": p1})
    configs = {
        "adam": lambda ps: torch.optim.Adam(ps, lr=0.1, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1),
        "adamw": lambda ps: torch.optim.AdamW(ps, lr=0.1, weight_decay=0.05),
        "sgd": lambda ps: torch.optim.SGD(ps, lr=0.1),
        "sgd_momentum": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01),
        "sgd_nesterov": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    }
    for name, make in configs.items():
        params = [p0.clone().requires_grad_(True), p1.clone().requires_grad_(True)]
        opt = make(params)
        losses = []
        for step in range(6):
            if step == 3:
                for group in opt.param_groups:
                    group["lr"] = 0.05
            opt.zero_grad()
            loss = ((x @ params[0] + params[1] - y) ** 2).mean()
            losses.append(loss.item())
            loss.backward()
            opt.step()
        out[f"{name}.p0"] = params[0].detach().clone()
        out[f"{name}.p1"] = params[1].detach().clone()
        out[f"{name}.losses"] = torch.tensor(losses, dtype=torch.float64)

    def lrs(make, epochs=12):
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=0.5)
        sched = make(opt)
        values = []
        for _ in range(epochs):
            values.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        return torch.tensor(values, dtype=torch.float64)

    out["schedule.step"] = lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=4, gamma=0.3))
    out["schedule.cosine"] = lrs(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.01), epochs=11)

    g0, g1 = torch.randn(3, 4) * 3, torch.randn(4) * 3
    a, b = torch.zeros(3, 4, requires_grad=True), torch.zeros(4, requires_grad=True)
    a.grad, b.grad = g0.clone(), g1.clone()
    total = torch.nn.utils.clip_grad_norm_([a, b], max_norm=1.5)
    out.update({"clip.g0": g0, "clip.g1": g1, "clip.total": total.double().reshape(1),
                "clip.clipped0": a.grad.clone(), "clip.clipped1": b.grad.clone()})
    return out


def interop_fixtures():
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    model(torch.randn(8, 3))  # moves the running statistics away from their initial values
    state = model.state_dict()
    torch.save(state, os.path.join(HERE, "python_state_dict.pt"))
    described = [{"name": k, "shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", ""),
                  "values": v.double().flatten().tolist()} for k, v in state.items()]
    with open(os.path.join(HERE, "python_state_dict.json"), "w") as f:
        json.dump(described, f, indent=1)
    torch.save({"only": torch.arange(5, dtype=torch.float32)}, os.path.join(HERE, "single_entry.pt"))
    torch.save({"model": state, "scale": torch.tensor(2.0)}, os.path.join(HERE, "nested_checkpoint.pt"))
    torch.save({"model": state, "epoch": 3}, os.path.join(HERE, "checkpoint_with_epoch.pt"))


def check_swift_written_file():
    path = os.path.join("/tmp", f"harlab-swift-state-{os.getpid()}.pt")
    env = dict(os.environ, HARLAB_SWIFT_STATE_OUT=path)
    subprocess.run(["swift", "test", "--filter", "StateDictInteropTests/testSwiftWrittenStateHoldsReferenceValues"],
                   cwd=ROOT, env=env, check=True)
    state = torch.load(path)  # weights_only=True by default since PyTorch 2.6
    os.remove(path)
    expected = {
        "weight": torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4,
        "counts": torch.tensor([1, 2, 3], dtype=torch.int64),
        "half": torch.tensor([0.5, -1.25], dtype=torch.bfloat16),
        "column": torch.tensor([1.0, 5.0, 9.0]),
    }
    assert list(state.keys()) == list(expected.keys()), state.keys()
    for name, value in expected.items():
        assert state[name].dtype == value.dtype and torch.equal(state[name], value), (name, state[name])
    print("Python torch.load opened the Swift-written state dict with the expected values")


def main():
    torch.save(layer_fixtures(), os.path.join(HERE, "layers.pt"))
    torch.save(optimizer_fixtures(), os.path.join(HERE, "optimizers.pt"))
    interop_fixtures()
    if "--skip-swift" not in sys.argv:
        check_swift_written_file()


if __name__ == "__main__":
    main()
