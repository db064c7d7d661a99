#!/usr/bin/env python3
"""The PyTorch peer benchmark for every model `har-bench` compares: the reference's own (`sa`, `cnn`, `lstm`, built
by ../shared/bench/peer_pytorch.py) plus PyTorch versions of harlab's hybrids the reference lacks, `attn+lstm`
and `sa+transformer`, built layer for layer as harlab builds them (Sources/HARKit/Models: ModelFactory,
ConvStem, RecurrentReader, TransformerReader) with the same state-dict names and parameter counts; every other
model (`ca`, `resnet`, `gru`, `transformer`, `deepconvlstm`, other hybrids) from scripts/har_models_torch.py, the
PyTorch models written from the architecture descriptions for ModelParityTests.

Same command line and JSON output as peer_pytorch.py, whose training and inference timing it reuses:
  ~/peer/bin/python scripts/peer_models.py --models attn+lstm --datasets uci --threads 2
From har-bench:
  .build/release/har-bench --models attn+lstm --datasets uci --vs-peer ~/peer/bin/python --peer-script scripts/peer_models.py
`--parameters` prints each model's parameter count instead of timing it (compare with harlab's `summary`).
peer_pytorch.py is looked up in ../../shared/bench from this script (the project's layout) or in $PEER_BENCH_DIR.
"""
import argparse, json, os, sys, time

import torch
import torch.nn as nn

PEER_DIR = os.environ.get("PEER_BENCH_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"))
if not os.path.exists(os.path.join(PEER_DIR, "peer_pytorch.py")):
    sys.exit(f"peer_pytorch.py not found in {PEER_DIR} (set PEER_BENCH_DIR to its folder)")
sys.path.insert(0, PEER_DIR)
import peer_pytorch  # noqa: E402  (the reference benchmark: SHAPES, ConvNet, LSTMNet, train_throughput, inference)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import har_models_torch  # noqa: E402  (every harlab model, independently written)


def attention_stem(width, depth):
    """harlab's ConvStem with spatial attention: `depth` stages of conv (3,1)/(2,1), attention, BatchNorm, ReLU,
    `width` maps doubling per stage; the same `body.N` names as the reference ConvNet."""
    widths, layers = [1] + [width << i for i in range(depth)], []
    for i in range(depth):
        layers += [nn.Conv2d(widths[i], widths[i + 1], (3, 1), (2, 1), (1, 0)), peer_pytorch.SpatialAttention(),
                   nn.BatchNorm2d(widths[i + 1]), nn.ReLU()]
    return nn.Sequential(*layers), widths[-1]


def stem_time(T, depth):
    """Time steps left after `depth` stride-2 stages (ConvStem.outputTime)."""
    for _ in range(depth):
        T = (T + 2 - 3) // 2 + 1
    return T


def time_major(features):
    """[B, F, T', C] stem features as a batch-first sequence [B, T', F*C] (harlab's timeMajorSequence)."""
    return features.permute(0, 2, 1, 3).flatten(2)


class AttentionLSTM(nn.Module):
    """`attn+lstm`: a 2-stage attention stem (32, 64 maps), one LSTM layer of 128 over the F*C features of each
    time step, the last step's output to a linear head (harlab's hybrid defaults, dropout 0)."""
    def __init__(self, T, C, classes, width=32, depth=2, hidden=128, layers=1):
        super().__init__()
        self.body, maps = attention_stem(width, depth)
        self.lstm = nn.LSTM(maps * C, hidden, layers, batch_first=True)
        self.head = nn.Linear(hidden, classes)

    def forward(self, x):
        out, _ = self.lstm(time_major(self.body(x)))
        return self.head(out[:, -1, :])


class AttentionTransformer(nn.Module):
    """`sa+transformer`: the same stem, each time step's F*C features embedded to 64, learned positions (normal,
    std 0.02), two post-norm encoder layers (4 heads, feed-forward 128, GELU, dropout 0.1), LayerNorm, the mean over
    tokens to a linear head (harlab's TransformerReader with its defaults)."""
    def __init__(self, T, C, classes, width=32, depth=2, size=64, heads=4, layers=2, dropout=0.1):
        super().__init__()
        self.body, maps = attention_stem(width, depth)
        self.position = nn.Parameter(torch.zeros(1, stem_time(T, depth), size).normal_(0, 0.02))
        self.embed = nn.Linear(maps * C, size)
        self.encoder = nn.ModuleList(nn.TransformerEncoderLayer(size, heads, 2 * size, dropout, activation="gelu",
                                                                batch_first=True) for _ in range(layers))
        self.norm = nn.LayerNorm(size)
        self.head = nn.Linear(size, classes)

    def forward(self, x):
        x = self.embed(time_major(self.body(x))) + self.position
        for layer in self.encoder:
            x = layer(x)
        return self.head(self.norm(x).mean(dim=1))


def build(model, T, C, classes):
    """The reference's models from peer_pytorch.py, harlab's hybrids under harlab's spec names, and any other model
    from har_models_torch.py."""
    if model in ("attn+lstm", "sa+lstm"):
        return AttentionLSTM(T, C, classes)
    if model in ("sa+transformer", "attn+transformer"):
        return AttentionTransformer(T, C, classes)
    if model in ("sa", "cnn", "lstm"):
        return peer_pytorch.build(model, T, C, classes)
    return har_models_torch.HARNet(model, T, C, classes)


def train_rates(net, T, C, classes, n, batch, epochs, bf16):
    """peer_pytorch.train_throughput's loop, step for step, timed on two clocks: training windows per second of wall
    time (the reference's figure) and per second of this process's CPU time (`time.process_time()`, all threads: on
    one thread the work itself, whoever else holds the cores; harlab's `train_samples_per_cpu_s` is measured alike)."""
    x = torch.randn(n, 1, T, C)
    y = torch.randint(0, classes, (n,))
    loader = peer_pytorch.DataLoader(peer_pytorch.TensorDataset(x, y), batch_size=batch, shuffle=True)
    opt = torch.optim.AdamW(net.parameters(), lr=5e-4, weight_decay=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    net.train()
    seen, start, start_cpu = 0, None, None
    for epoch in range(epochs + 1):  # epoch 0 warms up
        if epoch == 1:
            seen, start, start_cpu = 0, time.perf_counter(), time.process_time()
        for xb, yb in loader:
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                loss = loss_fn(net(xb).float(), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            seen += len(xb)
    return seen / (time.perf_counter() - start), seen / max(time.process_time() - start_cpu, 1e-9)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--models", default="sa")
    p.add_argument("--datasets", default="uci")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--samples", type=int, default=2048, help="random windows per epoch")
    p.add_argument("--epochs", type=int, default=2, help="timed epochs after one warm-up epoch")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--bf16", action="store_true", help="autocast to bfloat16 (the CPU form of mixed precision)")
    p.add_argument("--reps", type=int, default=50, help="batch-1 inference repetitions (0: time training only)")
    p.add_argument("--parameters", action="store_true", help="print parameter counts instead of timing")
    p.add_argument("--flush-denormals", action="store_true",
                   help="flush subnormal floats to zero (torch.set_flush_denormal), as harlab does by default")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    # Set before any intra-op thread exists, so the pool's threads inherit it from this one.
    flushed = torch.set_flush_denormal(a.flush_denormals) and a.flush_denormals
    for model in a.models.split(","):
        for ds in a.datasets.split(","):
            T, C, classes = peer_pytorch.SHAPES[ds]
            torch.manual_seed(0)
            net = build(model, T, C, classes)
            if a.parameters:
                print(json.dumps({"model": model, "dataset": ds, "parameters": sum(p.numel() for p in net.parameters())}), flush=True)
                continue
            sps, cpu_sps = train_rates(net, T, C, classes, a.samples, a.batch, a.epochs, a.bf16)
            lat, thr = peer_pytorch.inference(net, T, C, a.reps) if a.reps > 0 else (0, 0)
            print(json.dumps({"tool": "pytorch-" + torch.__version__, "model": model, "dataset": ds,
                              "threads": a.threads, "bf16": a.bf16, "batch": a.batch,
                              "denormals": "flushed" if flushed else "kept",
                              "train_samples_per_s": round(sps, 1), "train_samples_per_cpu_s": round(cpu_sps, 1),
                              "infer_latency_ms": round(lat, 3), "infer_windows_per_s": round(thr, 1)}), flush=True)


if __name__ == "__main__":
    main()
