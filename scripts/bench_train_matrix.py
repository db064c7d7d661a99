#!/usr/bin/env python3
"""Training throughput of every model on every dataset shape, harlab against PyTorch with the same arithmetic
(docs/PERFORMANCE.md, "Training matrix"): both float32, the same libtorch/PyTorch threads, the same batch, the
same random-window shape and the same model definition (scripts/peer_models.py: the reference's sa/cnn/lstm,
harlab's hybrids layer for layer, every other model from scripts/har_models_torch.py).

Per round and model, one `har-bench` process and one `scripts/peer_models.py` process each train the model on every
shape (one warm-up epoch, then --epochs timed ones, `--reps 0`: no inference timing); the order of the two
alternates from round to round, so both sides meet the same load. Each side reports training windows per second of
wall time and of its process CPU time (on one thread the work itself, whoever else holds the cores: the figure to
read on a shared machine). The table gives harlab ÷ PyTorch per round, its median over the rounds and the range;
with --baseline, a second har-bench (a build before a change) runs in each round too and gets its own ratio column.

  ~/peer/bin/python scripts/bench_train_matrix.py --har-bench .build/release/har-bench --peer-python ~/peer/bin/python \\
      --rounds 2 --samples 64 --batch 64 --jsonl /tmp/train-matrix.jsonl
  python3 scripts/bench_train_matrix.py --table-from /tmp/train-matrix.jsonl     # the table of a (partial) run
"""
import argparse, json, os, statistics, subprocess, sys, time

MODELS = "sa,ca,cnn,resnet,lstm,gru,transformer,deepconvlstm,attn+lstm,sa+transformer"
SHAPES = "uci,wisdm,pamap2,dsads,oppo"
SHAPE_NAMES = {"uci": "UCI-HAR 128×9", "wisdm": "WISDM 200×3", "pamap2": "PAMAP2 171×36", "dsads": "DSADS 125×45",
               "oppo": "OPPORTUNITY 30×113"}
HERE = os.path.dirname(os.path.abspath(__file__))


def run_side(command, side, round_number, sink):
    """Runs one side's process; every JSON line it prints is tagged with the side and round and written to sink."""
    started = time.time()
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    for line in lines:
        record = json.loads(line)
        record.update(side=side, round=round_number, loadavg=os.getloadavg()[0])
        sink.write(json.dumps(record) + "\n")
        sink.flush()
    if result.returncode != 0:
        sink.write(json.dumps({"side": side, "round": round_number, "error": result.stderr.strip()[-400:],
                               "command": " ".join(command)}) + "\n")
        sink.flush()
    print(f"round {round_number} {side}: {len(lines)} lines, exit {result.returncode}, {time.time() - started:.0f} s "
          f"({' '.join(command[:3])} …)", file=sys.stderr, flush=True)


def measure(a, sink):
    """Interleaves the two sides model by model for --rounds rounds."""
    common = ["--datasets", a.datasets, "--threads", str(a.threads), "--samples", str(a.samples),
              "--epochs", str(a.epochs), "--batch", str(a.batch), "--reps", "0"]
    for round_number in range(1, a.rounds + 1):
        for model in a.models.split(","):
            peer_flags = ["--flush-denormals"] if a.peer_flush_denormals else []
            sides = [("harlab", [a.har_bench, "--models", model] + common),
                     ("pytorch", [a.peer_python, os.path.join(HERE, "peer_models.py"), "--models", model] + common + peer_flags)]
            if a.baseline:
                sides.insert(1, ("baseline", [a.baseline, "--models", model] + common))
            if round_number % 2 == 0:
                sides.reverse()
            for side, command in sides:
                run_side(command, side, round_number, sink)


def spread(values):
    """'median (min–max)' of ratios, or '—' when none."""
    if not values:
        return "—", "—"
    return f"{statistics.median(values):.2f}", f"{min(values):.2f}–{max(values):.2f}"


def table(records):
    """The Markdown table of harlab ÷ PyTorch per (model, shape): CPU-time and wall-time rates, median over rounds."""
    rates = {}
    cpu = None
    peer_denormals = "kept"
    for r in records:
        if "error" in r:
            print(f"<!-- {r['side']} round {r['round']} failed: {r['error'][-200:]} -->")
            continue
        if r["side"] == "harlab" and cpu is None and "cpu" in r:
            cpu = (f"{r['cpu']} ({', '.join(r.get('cpu_features', []))}), {r.get('cores')} thread(s), allocator "
                   f"{r.get('cpu_allocator')}, harlab's subnormals {r.get('denormals', 'kept')}")
        if r["side"] == "pytorch" and "denormals" in r:
            peer_denormals = r["denormals"]
        key = (r["model"], r["dataset"], r["round"])
        rates.setdefault(key, {})[r["side"]] = (r["train_samples_per_cpu_s"], r["train_samples_per_s"], r["loadavg"])
    print(f"CPU: {cpu}; PyTorch's subnormals {peer_denormals}\n")
    with_baseline = any(r.get("side") == "baseline" for r in records)
    print("| model | shape | harlab CPU w/s | PyTorch CPU w/s | **CPU ratio** (median) | CPU ratio range | "
          "wall ratio (median) | wall range | rounds | load |" + (" baseline CPU ratio (median, range) |" if with_baseline else ""))
    print("|---|---|---|---|---|---|---|---|---|---|" + ("---|" if with_baseline else ""))
    order = {m: i for i, m in enumerate(MODELS.split(","))}
    shapes = {s: i for i, s in enumerate(SHAPES.split(","))}
    cells = sorted({(m, d) for (m, d, _) in rates}, key=lambda c: (order.get(c[0], 99), shapes.get(c[1], 99)))
    below = []
    for model, dataset in cells:
        rounds = [v for (m, d, _), v in sorted(rates.items()) if (m, d) == (model, dataset) and "harlab" in v and "pytorch" in v]
        if not rounds:
            continue
        cpu_ratios = [v["harlab"][0] / v["pytorch"][0] for v in rounds]
        wall_ratios = [v["harlab"][1] / v["pytorch"][1] for v in rounds]
        ours = statistics.median(v["harlab"][0] for v in rounds)
        theirs = statistics.median(v["pytorch"][0] for v in rounds)
        loads = [v[s][2] for v in rounds for s in ("harlab", "pytorch")]
        cpu_median, cpu_range = spread(cpu_ratios)
        wall_median, wall_range = spread(wall_ratios)
        if statistics.median(cpu_ratios) < 1:
            below.append(f"{model} {dataset} {cpu_median}")
        extra = ""
        if with_baseline:
            base = [v["baseline"][0] / v["pytorch"][0] for v in rounds if "baseline" in v]
            extra = " {} ({}) |".format(*spread(base))
        print(f"| {model} | {SHAPE_NAMES.get(dataset, dataset)} | {ours:.1f} | {theirs:.1f} | **{cpu_median}** | {cpu_range} | "
              f"{wall_median} | {wall_range} | {len(rounds)} | {min(loads):.1f}–{max(loads):.1f} |{extra}")
    print(f"\nBelow 1.0× (CPU ratio median): {', '.join(below) if below else 'none'}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--har-bench", default=".build/release/har-bench")
    p.add_argument("--peer-python", default=os.path.expanduser("~/peer/bin/python"))
    p.add_argument("--models", default=MODELS)
    p.add_argument("--datasets", default=SHAPES)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--samples", type=int, default=64, help="random windows per epoch")
    p.add_argument("--epochs", type=int, default=1, help="timed epochs after one warm-up epoch")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--baseline", help="another har-bench (e.g. a build before a change), run in each round beside the others "
                                      "and given as its own CPU ratio to PyTorch")
    p.add_argument("--peer-flush-denormals", action="store_true",
                   help="PyTorch flushes subnormal floats to zero too (harlab does by default; PyTorch keeps them)")
    p.add_argument("--jsonl", default="train-matrix.jsonl", help="every measurement, one JSON line each (appended)")
    p.add_argument("--table-from", help="print the table of an earlier --jsonl file instead of measuring")
    a = p.parse_args()
    if not a.table_from:
        with open(a.jsonl, "a") as sink:
            measure(a, sink)
    with open(a.table_from or a.jsonl) as source:
        table([json.loads(line) for line in source if line.strip()])


if __name__ == "__main__":
    main()
