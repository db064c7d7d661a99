#!/usr/bin/env python3
"""Writes small fixture files in each publisher's exact format, plus the windows an independent pandas/NumPy
implementation of each protocol expects from them, for HARKitTests.

For every dataset in Tests/HARKitTests/Fixtures/<dataset>/:
  the input files in the publisher's layout (messy WISDM lines, NaN gaps in PAMAP2 and OPPORTUNITY), and
  expected.json: for each windowing mode, the options used and one summary per window
  [label, "train"|"test", sum, sum of squares, first value, last value, channel hashes] of its float32 values
  (normalize=off). The channel hashes are, per channel in order, the first 16 hex digits of the SHA-256 of that
  channel's T float32 values (little-endian, NaN as 0x7fc00000, -0 as +0): a loader that swaps channels or time
  steps, or changes one value, matches no window, while the sums (tolerant of float rounding) say how far off it is.
The 'reference' mode follows the Python reference tool (docs: PITFALLS.md): pandas header inference loses the first
row of PAMAP2/OPPORTUNITY files, PAMAP2 NaN filled forward only, samples of a label joined per user/subject/file.
Run: python3 scripts/make_dataset_fixtures.py (with numpy and pandas installed)
"""
import hashlib, json, math, os
import numpy as np
import pandas as pd

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "HARKitTests", "Fixtures")


def windows_of(array, window, overlap):
    stride = int(window * (1 - overlap))
    if len(array) < window:
        return []
    return [array[i * stride: i * stride + window] for i in range((len(array) - window) // stride + 1)]


def channel_hash(column):
    """First 16 hex digits of the SHA-256 of a channel's float32 values (little-endian, NaN and -0 made canonical)."""
    bits = np.ascontiguousarray(column, dtype="<f4").copy()
    bits[bits == 0] = 0.0
    raw = bits.view("<u4").copy()
    raw[np.isnan(bits)] = 0x7FC00000
    return hashlib.sha256(raw.astype("<u4").tobytes()).hexdigest()[:16]


def summary(window, label, split):
    f = np.asarray(window, dtype=np.float32)
    w = f.astype(np.float64)
    hashes = [channel_hash(f[:, c]) for c in range(f.shape[1])]
    return [int(label), split, float(w.sum()), float((w * w).sum()), float(w.flat[0]), float(w.flat[-1]), hashes]


def runs(labels):
    """[(label, start, end)] of equal consecutive labels."""
    out, start = [], 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            out.append((labels[start], start, i))
            start = i
    return out


def write_expected(name, modes):
    with open(os.path.join(ROOT, name, "expected.json"), "w") as f:
        json.dump(modes, f, indent=0)


# ---------------------------------------------------------------- WISDM
def wisdm():
    folder = os.path.join(ROOT, "wisdm", "WISDM_ar_v1.1")
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(1)
    plan = [(1, "Walking", 450), (1, "Jogging", 330), (1, "Walking", 250), (2, "Sitting", 420), (2, "Upstairs", 310),
            (3, "Standing", 300), (3, "Downstairs", 260), (3, "Walking", 205)]
    lines, t = [], 0
    for user, activity, n in plan:
        for k in range(n):
            t += 50_000_000
            x, y, z = (round(float(v), 4) for v in rng.normal(0, 5, 3))
            lines.append(f"{user},{activity},{t},{x},{y},{z};")
    # The messy parts of the real file: several records on one line, ',;' endings, blank and short lines, a non-number.
    lines[10] = lines[10] + lines.pop(11)
    lines[20] = lines[20][:-1] + ",;"
    lines.insert(30, "")
    lines.insert(40, "1,Walking,123456,0.5;")
    lines.insert(50, "1,Walking,123457,1.0,abc,2.0;")
    lines.insert(60, "1,Walking,;")
    with open(os.path.join(folder, "WISDM_ar_v1.1_raw.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    # Independent parse: records split on ';', six fields, numeric values.
    records = []
    for line in open(os.path.join(folder, "WISDM_ar_v1.1_raw.txt")):
        for rec in line.strip().split(";"):
            fields = rec.strip().rstrip(",").split(",")
            if len(fields) != 6:
                continue
            try:
                records.append((int(fields[0]), fields[1], float(fields[3]), float(fields[4]), float(fields[5])))
            except ValueError:
                continue
    classes = ["Walking", "Jogging", "Sitting", "Standing", "Upstairs", "Downstairs"]
    data = np.array([r[2:] for r in records], dtype=np.float32)
    keys = [(r[0], classes.index(r[1])) for r in records]
    options = {"validation": "0", "normalize": "off"}
    # reference: per user x activity all samples joined; first 80 % of its windows train
    ref = []
    for key in dict.fromkeys(keys):
        rows = data[[i for i, k in enumerate(keys) if k == key]]
        ws = windows_of(rows, 200, 0.5)
        ntrain = int(len(ws) * 0.8)
        ref += [summary(w, key[1], "train" if i < ntrain else "test") for i, w in enumerate(ws)]
    # contiguous: windows within runs; the 80 % split over each user x activity's windows in order
    per_key = {}
    for key, start, end in runs(keys):
        per_key.setdefault(key, []).extend(windows_of(data[start:end], 200, 0.5))
    con = []
    for key, ws in per_key.items():
        ntrain = int(len(ws) * 0.8)
        con += [summary(w, key[1], "train" if i < ntrain else "test") for i, w in enumerate(ws)]
    write_expected("wisdm", {"kept": len(records), "contiguous": {"options": options, "windows": con},
                             "reference": {"options": dict(options, windowing="reference"), "windows": ref}})


# ---------------------------------------------------------------- PAMAP2
PAMAP_IDS = [1, 2, 3, 4, 5, 6, 7, 12, 13, 16, 17, 24]
PAMAP_COLS = list(range(4, 16)) + list(range(21, 33)) + list(range(38, 50))


def pamap2():
    folder = os.path.join(ROOT, "pamap2", "PAMAP2_Dataset", "Protocol")
    os.makedirs(folder, exist_ok=True)
    plans = {101: [(1, 120), (0, 30), (4, 100), (1, 60), (24, 60)], 102: [(0, 15), (2, 120), (9, 30), (4, 120), (3, 90)],
             105: [(0, 10), (1, 90), (4, 100)]}
    rng = np.random.default_rng(2)
    for subject, plan in plans.items():
        labels = sum([[a] * n for a, n in plan], [])
        n = len(labels)
        table = np.round(rng.normal(0, 3, (n, 54)), 4)
        table[:, 0] = np.arange(n) / 100
        table[:, 1] = labels
        table[:, 2] = np.nan
        table[::11, 2] = 100
        table[40:44, 3:20] = np.nan          # hand IMU dropped for four samples
        table[150:152, 38:54] = np.nan       # ankle IMU dropped
        if subject == 101:
            table[0:2, 21:24] = np.nan       # leading gap: pandas' interpolate() leaves it
        with open(os.path.join(folder, f"subject{subject}.dat"), "w") as f:
            for row in table:
                f.write(" ".join("NaN" if math.isnan(v) else (str(int(v)) if i == 1 else f"{v:.4f}") for i, v in enumerate(row)) + "\n")
    options = {"window": "20", "overlap": "0.5", "split": "subjects:105", "validation": "0", "normalize": "off"}
    ref, con = [], []
    for subject in plans:
        path = os.path.join(folder, f"subject{subject}.dat")
        # reference: header inference loses row 1; forward-only interpolation; every third row; label 0 dropped; joined per label
        frame = pd.read_csv(path, sep=" ", usecols=[1] + PAMAP_COLS)
        frame = frame.interpolate()
        rows = frame.to_numpy()[::3]
        split = "test" if subject == 105 else "train"
        for activity in PAMAP_IDS:
            joined = rows[rows[:, 0] == activity][:, 1:]
            ref += [summary(w, PAMAP_IDS.index(activity), split) for w in windows_of(joined.astype(np.float32), 20, 0.5)]
        # contiguous: all rows, interpolation both ways, every third row from the first, runs of one protocol activity
        frame = pd.read_csv(path, sep=" ", header=None, usecols=[1] + PAMAP_COLS)
        frame = frame.interpolate(limit_direction="both")
        rows = frame.to_numpy()[::3]
        for activity, start, end in runs(list(rows[:, 0])):
            if activity in PAMAP_IDS:
                con += [summary(w, PAMAP_IDS.index(activity), split) for w in windows_of(rows[start:end, 1:].astype(np.float32), 20, 0.5)]
    write_expected("pamap2", {"contiguous": {"options": options, "windows": con},
                              "reference": {"options": dict(options, windowing="reference"), "windows": ref}})


# ---------------------------------------------------------------- OPPORTUNITY
OPPO_IDS = [406516, 406517, 404516, 404517, 406520, 404520, 406505, 404505, 406519, 404519, 406511, 404511, 406508, 404508,
            408512, 407521, 405506]
OPPO_COLS = list(range(1, 46)) + list(range(50, 59)) + list(range(63, 72)) + list(range(76, 85)) + list(range(89, 98)) + list(range(102, 134))


def opportunity():
    folder = os.path.join(ROOT, "opportunity", "OpportunityUCIDataset", "dataset")
    os.makedirs(folder, exist_ok=True)
    plans = {"S1-ADL1.dat": [(0, 10), (406516, 40), (0, 15), (404516, 35), (406516, 30), (0, 10)],
             "S2-ADL1.dat": [(406520, 45), (0, 10), (404520, 40), (0, 5)],
             "S2-ADL4.dat": [(0, 5), (406516, 40), (408512, 50), (0, 5)]}
    rng = np.random.default_rng(3)
    kept = set(OPPO_COLS)
    for name, plan in plans.items():
        labels = sum([[a] * n for a, n in plan], [])
        n = len(labels)
        table = np.zeros((n, 250))
        table[:, 0] = np.arange(n) * 33
        for c in OPPO_COLS:
            table[:, c] = np.round(rng.normal(0, 300, n))
        table[:, 243:249] = 0
        table[:, 249] = labels
        table[20:23, 10:20] = np.nan
        table[60:61, 100:110] = np.nan
        if name == "S1-ADL1.dat":
            table[0:3, 5] = np.nan
        with open(os.path.join(folder, name), "w") as f:
            for row in table:
                f.write(" ".join("NaN" if math.isnan(v) else str(int(v)) for v in row) + "\n")
    options = {"validation": "0", "normalize": "off"}
    ref, con = [], []
    for name in plans:
        path = os.path.join(folder, name)
        split = "test" if name == "S2-ADL4.dat" else "train"
        for header, mode in [("infer", ref), (None, con)]:
            frame = pd.read_csv(path, sep=" ", header=0 if header == "infer" else None, usecols=OPPO_COLS + [249])
            y = frame.iloc[:, -1].to_numpy()
            x = frame.iloc[:, :-1].interpolate(limit_direction="both").to_numpy()
            if mode is ref:
                for gesture in OPPO_IDS:
                    mode += [summary(w, OPPO_IDS.index(gesture), split) for w in windows_of(x[y == gesture].astype(np.float32), 30, 0.5)]
            else:
                for gesture, start, end in runs(list(y)):
                    if gesture in OPPO_IDS:
                        mode += [summary(w, OPPO_IDS.index(gesture), split) for w in windows_of(x[start:end].astype(np.float32), 30, 0.5)]
    write_expected("opportunity", {"contiguous": {"options": options, "windows": con},
                                   "reference": {"options": dict(options, windowing="reference"), "windows": ref}})


# ---------------------------------------------------------------- UCI-HAR
UCI_SIGNALS = ["body_acc_x", "body_acc_y", "body_acc_z", "body_gyro_x", "body_gyro_y", "body_gyro_z", "total_acc_x", "total_acc_y", "total_acc_z"]


def uci():
    root = os.path.join(ROOT, "uci-har", "UCI HAR Dataset")
    rng = np.random.default_rng(4)
    names = ["WALKING", "WALKING_UPSTAIRS", "WALKING_DOWNSTAIRS", "SITTING", "STANDING", "LAYING"]
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, "activity_labels.txt"), "w") as f:
        f.write("".join(f"{i + 1} {n}\n" for i, n in enumerate(names)))
    parts = {"train": ([1, 1, 3, 3], [1, 4, 6, 2]), "test": ([2, 2], [5, 3])}
    windows = []
    for part, (subjects, labels) in parts.items():
        folder = os.path.join(root, part, "Inertial Signals")
        os.makedirs(folder, exist_ok=True)
        signals = rng.normal(0, 0.5, (len(UCI_SIGNALS), len(labels), 128)).astype(np.float32)
        for s, name in enumerate(UCI_SIGNALS):
            with open(os.path.join(folder, f"{name}_{part}.txt"), "w") as f:
                for n in range(len(labels)):
                    f.write("".join(f"{v: .7e}".replace("e-0", "e-00").replace("e+0", "e+00").rjust(16) for v in signals[s, n]) + "\n")
        with open(os.path.join(root, part, f"y_{part}.txt"), "w") as f:
            f.write("".join(f"{y}\n" for y in labels))
        with open(os.path.join(root, part, f"subject_{part}.txt"), "w") as f:
            f.write("".join(f"{s}\n" for s in subjects))
        # Read back as the files say (9 channels in order, each axis once), [N, 128, 9]
        read = np.stack([np.loadtxt(os.path.join(folder, f"{name}_{part}.txt"), ndmin=2) for name in UCI_SIGNALS], axis=-1)
        windows += [summary(read[n], labels[n] - 1, part) for n in range(len(labels))]
    options = {"validation": "0", "normalize": "off"}
    write_expected("uci-har", {"contiguous": {"options": options, "windows": windows},
                               "reference": {"options": dict(options, windowing="reference"), "windows": windows}})


if __name__ == "__main__":
    wisdm(); pamap2(); opportunity(); uci()
