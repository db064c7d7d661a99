#!/usr/bin/env python3
"""The product as users run it: harlab's `train` command with its defaults against the PyTorch reference loop with its own.

harlab: `har -c "load npy from DIR; model MODEL; train EPOCHS"`, no `set` at all, so `set threads auto` (the CPUs
this process may use) and `set amp auto` (bfloat16 autocast where the CPU computes bfloat16) decide, as for a user.
PyTorch: scripts/reference_train.py on the same windows with `--threads 0` (PyTorch's own default thread count),
float32 as the reference recipe has it.

Loading is excluded on both sides: each side's figure is its training loop's windows per second over the timed
epochs (harlab's per-epoch `windows_per_s` from `--json`; the reference's `epoch_seconds`), and harlab's whole `train`
command (validation and run recording included) is timed as the wall time of `load; model; train` minus that of
`load; model` in the same round. Rounds alternate the two tools; the ratio is harlab ÷ PyTorch of the median rates.

`--caps none,avx2` runs each round once per instruction-set cap, both tools under the same environment: `avx2` sets
every library's own cap variable (CAP_VARIABLES: libtorch's ATEN_CPU_CAPABILITY, oneDNN's ONEDNN_MAX_CPU_ISA and, for
the oneDNN 2.6 of Debian's libtorch 1.13, DNNL_MAX_CPU_ISA, OpenBLAS's OPENBLAS_CORETYPE, MKL's
MKL_ENABLE_INSTRUCTIONS), so an AVX-512 CPU computes with the instruction set of an AVX2-only one; `none` removes them.

Run with a Python that has torch and numpy, from the package root after a release build:
  ~/peer/bin/python scripts/bench_train_defaults.py --har .build/release/har --model sa --shape dsads --windows 384
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time

import numpy as np

# Each library's own variable capping its instruction set at AVX2 (PERFORMANCE.md checks each one takes effect).
CAP_VARIABLES = {"avx2": {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2", "DNNL_MAX_CPU_ISA": "AVX2",
                          "OPENBLAS_CORETYPE": "Haswell", "MKL_ENABLE_INSTRUCTIONS": "AVX2"},
                 "none": {}}

SHAPES = {"uci": (128, 9, 6), "wisdm": (200, 3, 6), "pamap2": (171, 36, 12), "dsads": (125, 45, 19), "oppo": (30, 113, 17)}


def write_windows(folder, shape, windows, seed):
    """Random standard-normal windows with random labels in the reference .npy layout (a small test split)."""
    T, C, classes = shape
    rng = np.random.default_rng(seed)
    for split, count in (("train", windows), ("test", max(classes, windows // 8))):
        np.save(os.path.join(folder, f"x_{split}.npy"), rng.standard_normal((count, T, C), dtype=np.float32))
        np.save(os.path.join(folder, f"y_{split}.npy"), np.arange(count, dtype=np.int64) % classes)


def run_har(har, folder, commands, env):
    """Runs `har --json -c COMMANDS`; returns (wall seconds, the JSON objects it printed)."""
    start = time.perf_counter()
    done = subprocess.run([har, "--quiet", "--no-rc", "--json", "-c", commands], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"har failed ({done.returncode}) on {commands!r}: {done.stderr.strip()}")
    return seconds, [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def capped_environment(base, cap):
    """`base` with every library's instruction-set cap variable set for `cap` (`none`: all of them removed)."""
    env = {key: value for key, value in base.items() if key not in CAP_VARIABLES["avx2"]}
    env.update(CAP_VARIABLES[cap])
    return env


def run_reference(python, folder, model, epochs, env):
    """The reference loop with PyTorch's default threads; returns its JSON line."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference_train.py")
    done = subprocess.run([python, script, folder, "--model", model, "--epochs", str(epochs + 1), "--threads", "0"],
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.exit(f"reference_train.py failed ({done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cpu_name(cap="none"):
    """The CPU's model name and the vector/bfloat16 flags that decide harlab's defaults, from /proc/cpuinfo, and the cap."""
    try:
        text = open("/proc/cpuinfo").read()
    except OSError:
        return "unknown"
    name = next((line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("model name")), "unknown")
    flags = next((line.split(":", 1)[1].split() for line in text.splitlines() if line.startswith("flags")), [])
    shown = [flag for flag in ("avx2", "avx512f", "avx512_bf16", "amx_bf16") if flag in flags]
    capped = "" if cap == "none" else f", capped to {cap} by " + " ".join(f"{k}={v}" for k, v in CAP_VARIABLES[cap].items())
    return f"{name} ({', '.join(shown) or 'no AVX2'}, {os.cpu_count()} CPUs{capped})"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--har", default=".build/release/har")
    p.add_argument("--python", default=sys.executable, help="interpreter for scripts/reference_train.py (torch, numpy)")
    p.add_argument("--model", default="sa")
    p.add_argument("--shape", default="dsads", choices=sorted(SHAPES))
    p.add_argument("--windows", type=int, default=384, help="training windows")
    p.add_argument("--epochs", type=int, default=1, help="timed epochs (each side also trains one warm-up epoch first)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--caps", default="none", help="comma-separated instruction-set caps to alternate in each round: "
                   + ", ".join(sorted(CAP_VARIABLES)))
    a = p.parse_args()
    caps = a.caps.split(",")
    for cap in caps:
        if cap not in CAP_VARIABLES:
            sys.exit(f"--caps: unknown cap {cap!r}; expected a comma-separated list of {', '.join(sorted(CAP_VARIABLES))}")
    with tempfile.TemporaryDirectory(prefix="harlab-train-bench-") as tmp:
        data = os.path.join(tmp, "windows")
        os.mkdir(data)
        write_windows(data, SHAPES[a.shape], a.windows, seed=0)
        base_env = dict(os.environ, HAR_RUNS=os.path.join(tmp, "runs.sqlite"), HAR_DATA=tmp)
        setup = f"load npy from {data}; model {a.model}"
        ours, theirs, commands = ({cap: [] for cap in caps} for _ in range(3))
        for round_index in range(a.rounds):
            for cap in caps:
                env = capped_environment(base_env, cap)
                base, _ = run_har(a.har, data, setup, env)
                full, lines = run_har(a.har, data, f"{setup}; train {a.epochs + 1}", env)
                epochs = [line for line in lines if "windows_per_s" in line and "epoch" in line][1:]
                ours[cap].append(statistics.median(line["windows_per_s"] for line in epochs))
                commands[cap].append(full - base)
                reference = run_reference(a.python, data, a.model, a.epochs, env)
                timed = reference["epoch_seconds"][1:]
                theirs[cap].append(reference["train_windows"] / statistics.median(timed))
                print(json.dumps({"round": round_index + 1, "cap": cap, "harlab_windows_per_s": round(ours[cap][-1], 1),
                                  "harlab_train_command_s": round(commands[cap][-1], 2),
                                  "pytorch_windows_per_s": round(theirs[cap][-1], 1), "pytorch": reference["tool"]}), flush=True)
        for cap in caps:
            print(json.dumps({"compare": "train with defaults", "cap": cap, "model": a.model, "shape": a.shape,
                              "windows": a.windows, "epochs": a.epochs,
                              "harlab_windows_per_s": round(statistics.median(ours[cap]), 1),
                              "pytorch_windows_per_s": round(statistics.median(theirs[cap]), 1),
                              "speedup": round(statistics.median(ours[cap]) / statistics.median(theirs[cap]), 2),
                              "harlab_train_command_s": round(statistics.median(commands[cap]), 2), "cpu": cpu_name(cap)}),
                  flush=True)


if __name__ == "__main__":
    main()
