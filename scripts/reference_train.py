#!/usr/bin/env python3
"""The PyTorch reference recipe on windows harlab preprocessed, for side-by-side learning checks.

Reads a folder in the reference tool's .npy layout (x_train.npy, y_train.npy, x_test.npy, y_test.npy;
harlab writes one as the cache of every loaded dataset, or with the shell's `export`) and trains the
reference model from ../shared/bench/peer_pytorch.py with the reference recipe: AdamW (lr 5e-4,
weight decay 1e-3), StepLR (step epochs/3, gamma 0.5), cross-entropy, batch 128, shuffled each epoch.
Prints one JSON line: accuracy and macro F1 on the test arrays after the last epoch, each epoch's seconds
(the training loop only) and the thread count.

Not a harlab dependency: run it with a Python that has torch and numpy, e.g.
  ~/peer/bin/python scripts/reference_train.py FOLDER --model sa --epochs 5
"""
import argparse, json, os, sys, time

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def macro_f1(labels, predictions, classes):
    """Macro F1 over the classes present in labels or predictions (scikit-learn's convention)."""
    scores = []
    for c in range(classes):
        tp = np.sum((predictions == c) & (labels == c))
        predicted, support = np.sum(predictions == c), np.sum(labels == c)
        if predicted == 0 and support == 0:
            continue
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        scores.append(0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall))
    return float(np.mean(scores)) if scores else 0.0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("folder")
    p.add_argument("--model", default="sa")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2, help="torch threads; 0 keeps PyTorch's own default")
    p.add_argument("--peer", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench"))
    a = p.parse_args()
    sys.path.insert(0, a.peer)
    import peer_pytorch

    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    load = lambda name: np.load(os.path.join(a.folder, name))
    x_train, y_train = torch.tensor(load("x_train.npy")).float(), torch.tensor(load("y_train.npy")).long()
    x_test, y_test = torch.tensor(load("x_test.npy")).float(), torch.tensor(load("y_test.npy")).long()
    if x_train.dim() == 3:
        x_train, x_test = x_train.unsqueeze(1), x_test.unsqueeze(1)
    T, C = x_train.shape[2], x_train.shape[3]
    classes = int(max(y_train.max(), y_test.max())) + 1
    net = peer_pytorch.build(a.model, T, C, classes)
    opt = torch.optim.AdamW(net.parameters(), lr=5e-4, weight_decay=1e-3)
    schedule = torch.optim.lr_scheduler.StepLR(opt, step_size=max(1, a.epochs // 3), gamma=0.5)
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=128, shuffle=True)
    loss_fn = nn.CrossEntropyLoss()
    start, losses, epoch_seconds = time.perf_counter(), [], []
    for _ in range(a.epochs):
        epoch_start = time.perf_counter()
        net.train()
        total, seen = 0.0, 0
        for xb, yb in loader:
            loss = loss_fn(net(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(xb)
            seen += len(xb)
        losses.append(round(total / seen, 4))
        epoch_seconds.append(round(time.perf_counter() - epoch_start, 3))
        schedule.step()
    net.eval()
    with torch.no_grad():
        predictions = torch.cat([net(x_test[i:i + 512]).argmax(1) for i in range(0, len(x_test), 512)]).numpy()
    labels = y_test.numpy()
    print(json.dumps({"tool": "pytorch-" + torch.__version__, "model": a.model, "epochs": a.epochs, "train_windows": len(x_train),
                      "test_windows": len(x_test), "accuracy": round(float(np.mean(predictions == labels)), 4),
                      "f1_macro": round(macro_f1(labels, predictions, classes), 4), "train_losses": losses,
                      "epoch_seconds": epoch_seconds, "threads": torch.get_num_threads(),
                      "seconds": round(time.perf_counter() - start, 1)}))


if __name__ == "__main__":
    main()
