#!/usr/bin/env bash
# Does bfloat16 autocast change what a model learns? (issue 17) Trains `sa`, `cnn` and `attn+lstm` with `set amp on`
# (bfloat16 autocast) and `set amp off` (float32), several seeds, on the built-in synthetic data and on the real DSADS
# subjects (train 1–5, test 6), evaluates each on its test split, and prints accuracy and macro F1 per run and their
# mean ± sample std per (dataset, model, precision), then the mean ± std of the paired difference (bfloat16 − float32,
# same seed, same windows). docs/LEARNING.md holds the tables this produced.
#
#   scripts/amp_accuracy.sh [synthetic|dsads|all|summary]     (default: all)
#
# Environment (defaults in brackets):
#   HAR               the har binary [.build/release/har; build it with `swift build -c release --product har`]
#   SEEDS             seeds, one run per seed and precision ["1 2 3"]
#   MODELS            model specs ["sa cnn attn+lstm"]
#   EPOCHS_SYNTHETIC  epochs on synthetic data [3]
#   EPOCHS_DSADS      epochs on DSADS [1]
#   THREADS           libtorch threads per run [1]
#   HARLAB_DSADS      the DSADS folder (holding data/a01…) or zip [../shared/data/dsads-subjects-1-6.zip]
#   RESULTS           the results file, one tab-separated line per run [amp-accuracy.tsv]
#
# A run already in RESULTS is not run again: an interrupted sweep resumes where it stopped. `amp on` needs a CPU with
# bfloat16 arithmetic to be fast; elsewhere it is correct but slow (about 17× slower on a Zen 3), so run it there only
# for the accuracy question.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
HAR=${HAR:-.build/release/har}
SEEDS=${SEEDS:-"1 2 3"}
MODELS=${MODELS:-"sa cnn attn+lstm"}
EPOCHS_SYNTHETIC=${EPOCHS_SYNTHETIC:-3}
EPOCHS_DSADS=${EPOCHS_DSADS:-1}
THREADS=${THREADS:-1}
DSADS=${HARLAB_DSADS:-../shared/data/dsads-subjects-1-6.zip}
RESULTS=${RESULTS:-amp-accuracy.tsv}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

source "$(dirname "${BASH_SOURCE[0]}")/lib/dsads-folder.sh"

# One training run: appends `dataset model amp seed epochs accuracy f1_macro train_seconds` to RESULTS.
run_one() {
    local dataset=$1 load=$2 epochs=$3 model=$4 amp=$5 seed=$6
    if [[ -f "$RESULTS" ]] && awk -F'\t' -v d="$dataset" -v m="$model" -v a="$amp" -v s="$seed" -v e="$epochs" \
        '$1==d && $2==m && $3==a && $4==s && $5==e { found=1 } END { exit !found }' "$RESULTS"; then
        return
    fi
    local log="$scratch/run.jsonl"
    HAR_RUNS="$scratch/runs.sqlite" "$HAR" --quiet --no-rc --json -c \
        "set threads $THREADS; set seed $seed; set amp $amp; load $load; model $model; train $epochs; eval" > "$log"
    local accuracy f1 seconds
    accuracy=$(jq -r 'select(.command == "eval") | .accuracy' "$log")
    f1=$(jq -r 'select(.command == "eval") | .f1_macro' "$log")
    seconds=$(jq -s '[.[] | select(.command == "train" and has("epoch")) | .seconds] | add' "$log")
    [[ -n "$accuracy" && -n "$f1" ]] || { echo "no eval result for $dataset $model amp $amp seed $seed:" >&2; cat "$log" >&2; exit 1; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$dataset" "$model" "$amp" "$seed" "$epochs" "$accuracy" "$f1" "$seconds" \
        | tee -a "$RESULTS"
}

# Seed by seed, so that a sweep cut short still has every model's float32 and bfloat16 runs for its first seeds.
sweep() {
    local dataset=$1 load=$2 epochs=$3
    for seed in $SEEDS; do
        for model in $MODELS; do
            for amp in off on; do run_one "$dataset" "$load" "$epochs" "$model" "$amp" "$seed"; done
        done
    done
}

# Mean ± sample standard deviation of accuracy and macro F1 per (dataset, model, precision), as a Markdown table.
summary() {
    echo "| dataset | model | precision | runs | accuracy | macro F1 | train s (mean) |"
    echo "|---|---|---|---|---|---|---|"
    awk -F'\t' '
        { key = $1 "\t" $2 "\t" ($3 == "on" ? "bfloat16" : "float32"); n[key]++
          a[key] += $6; aa[key] += $6 * $6; f[key] += $7; ff[key] += $7 * $7; s[key] += $8
          if (!(key in seen)) { seen[key] = 1; order[++count] = key } }
        function sd(sum, squares, k) { return k > 1 ? sqrt((squares - sum * sum / k) / (k - 1)) : 0 }
        END { for (i = 1; i <= count; i++) { k = order[i]; split(k, p, "\t")
              printf "| %s | %s | %s | %d | %.4f ± %.4f | %.4f ± %.4f | %.1f |\n", p[1], p[2], p[3], n[k],
                     a[k] / n[k], sd(a[k], aa[k], n[k]), f[k] / n[k], sd(f[k], ff[k], n[k]), s[k] / n[k] } }' "$RESULTS"
    echo
    echo "| dataset | model | seeds paired | accuracy bfloat16 − float32 | macro F1 bfloat16 − float32 |"
    echo "|---|---|---|---|---|"
    awk -F'\t' '
        { run = $1 "\t" $2 "\t" $4; acc[run, $3] = $6; f1[run, $3] = $7; if (!(run in seen)) { seen[run] = 1; runs[++count] = run } }
        function sd(sum, squares, k) { return k > 1 ? sqrt((squares - sum * sum / k) / (k - 1)) : 0 }
        END { for (i = 1; i <= count; i++) { r = runs[i]
                  if (!((r, "on") in acc) || !((r, "off") in acc)) continue
                  split(r, p, "\t"); key = p[1] "\t" p[2]; if (!(key in n)) order[++models] = key
                  da = acc[r, "on"] - acc[r, "off"]; df = f1[r, "on"] - f1[r, "off"]
                  n[key]++; a[key] += da; aa[key] += da * da; f[key] += df; ff[key] += df * df }
              for (i = 1; i <= models; i++) { k = order[i]; split(k, p, "\t")
                  printf "| %s | %s | %d | %+.4f ± %.4f | %+.4f ± %.4f |\n", p[1], p[2], n[k], a[k] / n[k], sd(a[k], aa[k], n[k]),
                         f[k] / n[k], sd(f[k], ff[k], n[k]) } }' "$RESULTS"
}

case "$what" in
    synthetic) sweep synthetic "synthetic validation=0" "$EPOCHS_SYNTHETIC" ;;
    dsads) sweep dsads "dsads from \"$(dsads_folder)\" split=subjects:6 validation=0" "$EPOCHS_DSADS" ;;
    all) sweep synthetic "synthetic validation=0" "$EPOCHS_SYNTHETIC"
         sweep dsads "dsads from \"$(dsads_folder)\" split=subjects:6 validation=0" "$EPOCHS_DSADS" ;;
    summary) ;;
    *) echo "usage: $0 [synthetic|dsads|all|summary]" >&2; exit 2 ;;
esac
summary
