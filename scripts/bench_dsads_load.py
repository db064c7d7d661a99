#!/usr/bin/env python3
"""Python reference side of the DSADS load benchmark: the reference tool's preprocessing
(Daily_and_Sports_Activities/dataproc.py: pandas read_csv per segment file, vstack per activity x subject,
sliding window 125 / overlap 0.4, held-out subjects, z-score fitted on the training windows), timed.

Run: ~/peer/bin/python scripts/bench_dsads_load.py /tmp/dsads [held-out subject ...]
Prints one JSON line: seconds, window counts; with --save DIR also writes x_train.npy ... for comparison.
"""
import json, os, sys, time
import numpy as np
import pandas as pd


def sliding_window(array, windowsize, overlaprate):
    stride = int(windowsize * (1 - overlaprate))
    times = (len(array) - windowsize) // stride + 1
    return [array[i * stride: i * stride + windowsize] for i in range(times)]


def dsads(root, held_out, window=125, overlap=0.4):
    data = os.path.join(root, "data") if os.path.isdir(os.path.join(root, "data")) else root
    xtrain, xtest, ytrain, ytest = [], [], [], []
    for label, activity in enumerate(sorted(os.listdir(data))):
        for index, person in enumerate(sorted(os.listdir(os.path.join(data, activity)))):
            folder = os.path.join(data, activity, person)
            joined = np.vstack([pd.read_csv(os.path.join(folder, f), sep=",", header=None).to_numpy() for f in sorted(os.listdir(folder))])
            windows = sliding_window(joined, window, overlap)
            if index + 1 in held_out:
                xtest += windows; ytest += [label] * len(windows)
            else:
                xtrain += windows; ytrain += [label] * len(windows)
    xtrain, xtest = np.array(xtrain, dtype=np.float32), np.array(xtest, dtype=np.float32)
    ytrain, ytest = np.array(ytrain, dtype=np.int64), np.array(ytest, dtype=np.int64)
    # Statistics in float64, as scikit-learn's StandardScaler computes them (float32 sums drift by ~1e-3 relative here).
    flat = xtrain.reshape(-1, xtrain.shape[-1]).astype(np.float64)
    mean, std = flat.mean(axis=0), flat.std(axis=0)
    std[std == 0] = 1
    mean, std = mean.astype(np.float32), std.astype(np.float32)
    return (xtrain - mean) / std, (xtest - mean) / std, ytrain, ytest


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    save = sys.argv[sys.argv.index("--save") + 1] if "--save" in sys.argv else None
    if save in args:
        args.remove(save)
    root, held = args[0], {int(s) for s in args[1:]} or {7, 8}
    start = time.perf_counter()
    xtrain, xtest, ytrain, ytest = dsads(root, held)
    seconds = time.perf_counter() - start
    if save:
        os.makedirs(save, exist_ok=True)
        for name, array in [("x_train", xtrain), ("x_test", xtest), ("y_train", ytrain), ("y_test", ytest)]:
            np.save(os.path.join(save, name + ".npy"), array)
    print(json.dumps({"dataset": "dsads", "tool": "python-pandas", "seconds": round(seconds, 3),
                      "train_windows": len(ytrain), "test_windows": len(ytest)}))
