#!/usr/bin/env bash
# Personalisation with few labels (issue 18 §2): train a model on DSADS subjects 1–5, then adapt it to subject 6 with
# the first P% (by time) of each of subject 6's activities and test on the rest of subject 6. Four arms per P, all
# evaluated on the same windows (subject 6 after its first P% of each activity):
#   none        the subjects-1–5 model as it is (`load model`), no training on subject 6
#   fine-tune   `model from` that model, every layer trained on the P% (FT_EPOCHS epochs)
#   frozen stem `model from` that model with `freeze=stem`: only the reader and head train
#   scratch     a fresh model of the same spec trained on the same P% for the same epochs
# Every seed repeats all of it (its own subjects-1–5 model). Prints one tab-separated line per run and a Markdown table
# of mean ± sample std over the seeds (docs/LEARNING.md, "Personalisation").
#
#   scripts/personalise_dsads.sh [run|summary]     (default: run)
#
# Environment (defaults in brackets):
#   HAR          the har binary [.build/release/har; build it with `swift build -c release --product har`]
#   MODEL        the model spec [attn+lstm]
#   PRE_EPOCHS   epochs on subjects 1–5 [1]
#   FT_EPOCHS    epochs on subject 6's labelled share, for fine-tuning and scratch alike [20]
#   FT_BATCH     batch size on subject 6's share [32]
#   PERCENTS     the labelled shares of subject 6 ["5 10 20"]
#   SEEDS        one repetition per seed ["0 1 2"]   THREADS  libtorch threads per run [1]
#   HARLAB_DSADS the DSADS folder (holding a01…) or zip [../shared/data/dsads-subjects-1-6.zip]
#   WORK         where the model of subjects 1–5, the run store and RESULTS go [personalise-dsads]
#
# Normalisation: each load z-scores with statistics of its own training windows (subjects 1–5 for the first model;
# subject 6's labelled P% for the adaptation arms, "none" included). The first model's own evaluation on all of
# subject 6, with the statistics of subjects 1–5, is printed too (arm "pretrained").
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-run}
HAR=${HAR:-.build/release/har}
MODEL=${MODEL:-attn+lstm}
PRE_EPOCHS=${PRE_EPOCHS:-1}
FT_EPOCHS=${FT_EPOCHS:-20}
FT_BATCH=${FT_BATCH:-32}
PERCENTS=${PERCENTS:-"5 10 20"}
SEEDS=${SEEDS:-"0 1 2"}
THREADS=${THREADS:-1}
DSADS=${HARLAB_DSADS:-../shared/data/dsads-subjects-1-6.zip}
WORK=${WORK:-personalise-dsads}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
RESULTS="$WORK/results.tsv"
export HAR_RUNS="$WORK/runs.sqlite"

source "$(dirname "${BASH_SOURCE[0]}")/lib/dsads-folder.sh"

# Runs `har -c COMMANDS` (which begin with a load) with `seed` and appends
# `seed arm percent training_windows accuracy f1_macro` to RESULTS; a run already there is not run again.
run_arm() {
    local seed=$1 arm=$2 percent=$3 commands=$4
    if [[ -f "$RESULTS" ]] && awk -F'\t' -v s="$seed" -v a="$arm" -v p="$percent" '$1==s && $2==a && $3==p { found=1 } END { exit !found }' "$RESULTS"; then
        return
    fi
    local log="$WORK/$arm-$percent-seed$seed.jsonl"
    "$HAR" --quiet --no-rc --json -c "set threads $THREADS; set seed $seed; $commands" > "$log"
    local accuracy f1 windows
    accuracy=$(jq -r 'select(.command == "eval") | .accuracy' "$log")
    f1=$(jq -r 'select(.command == "eval") | .f1_macro' "$log")
    windows=$(jq -r 'select(.command == "info") | .train.windows' "$log")
    [[ -n "$accuracy" && -n "$f1" ]] || { echo "no eval result for seed $seed $arm $percent:" >&2; cat "$log" >&2; exit 1; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$seed" "$arm" "$percent" "$windows" "$accuracy" "$f1" | tee -a "$RESULTS"
}

run() {
    local data seed; data=$(dsads_folder)
    for seed in $SEEDS; do
        local pretrained="$WORK/subjects-1-5-seed$seed.ckpt"
        if [[ ! -f "$pretrained" ]]; then
            run_arm "$seed" pretrained 0 "load dsads from \"$data\" split=subjects:6 validation=0; info; model $MODEL; train $PRE_EPOCHS; eval; save model \"$pretrained\""
        fi
        for percent in $PERCENTS; do
            local load="load dsads from \"$data\" subjects=6 split=ratio:$percent:$((100 - percent)) validation=0; info; set batch $FT_BATCH"
            run_arm "$seed" none "$percent" "$load; load model \"$pretrained\"; eval"
            run_arm "$seed" fine-tune "$percent" "$load; model from \"$pretrained\"; train $FT_EPOCHS; eval"
            run_arm "$seed" frozen-stem "$percent" "$load; model from \"$pretrained\" freeze=stem; train $FT_EPOCHS; eval"
            run_arm "$seed" scratch "$percent" "$load; model $MODEL; train $FT_EPOCHS; eval"
        done
    done
}

# One row per labelled share: per arm, accuracy and macro F1 as mean ± sample std over the seeds run (seeds in brackets).
summary() {
    echo "| subject 6 labelled | no adaptation | fine-tune | frozen stem | scratch |"
    echo "|---|---|---|---|---|"
    awk -F'\t' '
        { key = $2 SUBSEP $3; n[key]++; a[key] += $5; aa[key] += $5 * $5; f[key] += $6; ff[key] += $6 * $6; windows[$3] = $4
          if ($3 > 0 && !($3 in seen)) { seen[$3] = 1; order[++count] = $3 } }
        function sd(sum, squares, k) { return k > 1 ? sqrt(((squares - sum * sum / k) > 0 ? squares - sum * sum / k : 0) / (k - 1)) : 0 }
        function cell(arm, p,   k) { k = arm SUBSEP p; if (!(k in n)) return "–"
            return sprintf("%.2f ± %.2f%% / %.3f ± %.3f (%d)", 100 * a[k] / n[k], 100 * sd(a[k], aa[k], n[k]), f[k] / n[k], sd(f[k], ff[k], n[k]), n[k]) }
        END { for (i = 1; i <= count; i++) { p = order[i]
                  printf "| first %s%% (%s windows) | %s | %s | %s | %s |\n", p, windows[p], cell("none", p), cell("fine-tune", p), cell("frozen-stem", p), cell("scratch", p) }
              printf "\nThe subjects-1–5 models on all of subject 6 (statistics of subjects 1–5): %s\n", cell("pretrained", 0) }' "$RESULTS"
}

case "$what" in
    run) run ;;
    summary) ;;
    *) echo "usage: $0 [run|summary]" >&2; exit 2 ;;
esac
summary
