#!/usr/bin/env bash
# Does the `robust` recipe generalise to new people better than the reference? (issue 18, part 1) Leave-one-subject-out
# cross-validation on DSADS subjects 1–6: for each model, `cv loso` with the reference recipe and with `recipe robust`,
# the same epoch budget, seed and threads; per held-out subject accuracy and macro F1, then mean ± sample std per
# (model, recipe) and the paired difference robust − reference. docs/LEARNING.md holds what this produced.
#
#   scripts/loso_recipes.sh [run|folds|summary|partial]     (default: run, then summary)
#
# `folds` runs the same folds one held-out subject per process, JOBS at a time (models in order, each subject's
# recipes side by side), then summarises: each process does what `cv folds=loso` does for that subject —
# `load … split=subjects:K validation=0` (z-score fitted on the other five subjects' windows), a fresh seeded model,
# `train EPOCHS`, `eval test` — so a machine with idle cores finishes in a fraction of the time. (Not bit for bit
# `cv`'s fold: `cv` refits the z-score on windows it first de-normalises, which moves values by rounding.)
#
# `partial` summarises every fold evaluated so far, read from the run store beside RESULTS (a cut-short sweep's
# finished folds, which RESULTS only gets when a whole cross-validation ends); a fold's recipe is `robust` when it
# trained with augmentation, else `reference`.
#
# Protocol: every fold trains a fresh model on the five other subjects (all their windows: `set val 0`, no early
# stopping, nothing selected on any subject) with z-scoring refitted on them, and is evaluated once on the held-out
# subject (`split=subjects:6` only satisfies `load`; `cv` refolds every window by subject). The recipe was fixed
# before any of these runs; no setting is chosen from their results.
#
# Environment (defaults in brackets):
#   HAR           the har binary [.build/debug/har]
#   MODELS        model specs, `;`-separated ["sa;cnn"]
#   RECIPES       recipes ["reference robust"]
#   EPOCHS        epochs per fold [2]
#   SEED          seed [0]
#   THREADS       libtorch threads per run [1]
#   HARLAB_DSADS  the DSADS folder (holding data/a01…) or zip [../shared/data/dsads-subjects-1-6.zip]
#   RESULTS       the results file, one tab-separated line per fold [loso-recipes.tsv]
#   SUBJECTS      the held-out subjects of `folds` ["1 2 3 4 5 6"]
#   JOBS          processes at once for `folds` [6]
#
# A (model, recipe, epochs, seed) already complete in RESULTS is not run again. Each cv's log is kept beside RESULTS.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
HAR=${HAR:-.build/debug/har}
MODELS=${MODELS:-"sa;cnn"}
RECIPES=${RECIPES:-"reference robust"}
EPOCHS=${EPOCHS:-2}
SEED=${SEED:-0}
THREADS=${THREADS:-1}
DSADS=${HARLAB_DSADS:-../shared/data/dsads-subjects-1-6.zip}
RESULTS=${RESULTS:-loso-recipes.tsv}
SUBJECTS=${SUBJECTS:-"1 2 3 4 5 6"}
JOBS=${JOBS:-6}

source "$(dirname "${BASH_SOURCE[0]}")/lib/dsads-folder.sh"

# One leave-one-subject-out cross-validation: appends `model recipe epochs seed subject accuracy f1_macro` per fold.
run_one() {
    local model=$1 recipe=$2
    if [[ -f "$RESULTS" ]] && awk -F'\t' -v m="$model" -v r="$recipe" -v e="$EPOCHS" -v s="$SEED" \
        '$1==m && $2==r && $3==e && $4==s { n++ } END { exit !(n >= 6) }' "$RESULTS"; then
        return
    fi
    local log="${RESULTS%.tsv}-${model//[^a-z0-9]/_}-$recipe-e$EPOCHS-s$SEED.jsonl"
    local commands="set threads $THREADS; set seed $SEED; set val 0; load dsads from \"$(dsads_folder)\" split=subjects:6 validation=0; recipe $recipe; model $model; cv folds=loso epochs=$EPOCHS"
    echo "$(date -u +%H:%M:%S) har -c '$commands'" >&2
    HAR_RUNS="${RESULTS%.tsv}.sqlite" "$HAR" --quiet --no-rc --json -c "$commands" > "$log"
    jq -r --arg m "$model" --arg r "$recipe" --arg e "$EPOCHS" --arg s "$SEED" \
        'select(.command == "cv") | .per_fold[] | [$m, $r, $e, $s, (.test_subjects | map(tostring) | join(",")), .accuracy, .f1_macro] | @tsv' \
        "$log" | tee -a "$RESULTS"
}

# One held-out subject in a process of its own (see `folds` above): appends `model recipe epochs seed subject accuracy
# f1_macro`, unless RESULTS has that line already.
run_fold() {
    local model=$1 recipe=$2 subject=$3
    if [[ -f "$RESULTS" ]] && awk -F'\t' -v m="$model" -v r="$recipe" -v e="$EPOCHS" -v s="$SEED" -v k="$subject" \
        '$1==m && $2==r && $3==e && $4==s && $5==k { n++ } END { exit !(n >= 1) }' "$RESULTS"; then
        return
    fi
    local log="${RESULTS%.tsv}-${model//[^a-z0-9]/_}-$recipe-e$EPOCHS-s$SEED-subject$subject.jsonl"
    local commands="set threads $THREADS; set seed $SEED; set val 0; load dsads from \"$(dsads_folder)\" split=subjects:$subject validation=0; recipe $recipe; model $model; train $EPOCHS; eval test"
    echo "$(date -u +%H:%M:%S) har -c '$commands'" >&2
    HAR_RUNS="${RESULTS%.tsv}.sqlite" "$HAR" --quiet --no-rc --json -c "$commands" > "$log"
    jq -r --arg m "$model" --arg r "$recipe" --arg e "$EPOCHS" --arg s "$SEED" --arg k "$subject" \
        'select(.command == "eval") | [$m, $r, $e, $s, $k, .accuracy, .f1_macro] | @tsv' "$log" >> "$RESULTS"
    echo "$(date -u +%H:%M:%S) done: $model $recipe subject $subject" >&2
}

# The folds evaluated so far in the run store, as RESULTS lines.
store_rows() {
    sqlite3 -separator $'\t' "${RESULTS%.tsv}.sqlite" \
        "SELECT model, CASE WHEN augmentation IS NULL THEN 'reference' ELSE 'robust' END, '$EPOCHS', seed,
                replace(substr(label, instr(label, 'subjects ') + 9), ')', ''), accuracy, f1_macro
         FROM runs WHERE kind = 'fold' AND accuracy IS NOT NULL ORDER BY id" |
        awk -F'\t' -v OFS='\t' '{ gsub(/ ?dropout=[0-9.]+/, "", $1); print }' # the recipe's dropout, so folds pair by model
}

# RESULTS in a fixed order whatever order its folds finished in: models as MODELS lists them, then recipe, epochs,
# seed and subject.
sorted_results() {
    awk -F'\t' -v OFS='\t' -v models="$MODELS" \
        'BEGIN { n = split(models, m, ";"); for (i = 1; i <= n; i++) rank[m[i]] = i } { print (($1 in rank) ? rank[$1] : n + 1), $0 }' \
        "$RESULTS" | sort -t$'\t' -k1,1n -k2,2 -k3,3 -k4,4n -k5,5n -k6,6n | cut -f2-
}

# Per subject, then mean ± sample std per (model, recipe), then the paired difference robust − reference per model.
summary() {
    [[ -f "$RESULTS" ]] || { echo "no results yet in $RESULTS"; return; }
    echo "| model | recipe | epochs | seed | held-out subject | accuracy | macro F1 |"
    echo "|---|---|---|---|---|---|---|"
    awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %.4f | %.4f |\n", $1, $2, $3, $4, $5, $6, $7 }' <(sorted_results)
    echo
    echo "| model | recipe | epochs | folds | accuracy mean ± std | macro F1 mean ± std |"
    echo "|---|---|---|---|---|---|"
    awk -F'\t' '
        { key = $1 "\t" $2 "\t" $3; n[key]++; a[key] += $6; aa[key] += $6 * $6; f[key] += $7; ff[key] += $7 * $7
          if (!(key in seen)) { seen[key] = 1; order[++count] = key } }
        function sd(sum, squares, k) { return k > 1 ? sqrt((squares - sum * sum / k) / (k - 1)) : 0 }
        END { for (i = 1; i <= count; i++) { k = order[i]; split(k, p, "\t")
              printf "| %s | %s | %s | %d | %.4f ± %.4f | %.4f ± %.4f |\n", p[1], p[2], p[3], n[k],
                     a[k] / n[k], sd(a[k], aa[k], n[k]), f[k] / n[k], sd(f[k], ff[k], n[k]) } }' <(sorted_results)
    echo
    echo "| model | epochs | subjects paired | accuracy robust − reference | macro F1 robust − reference |"
    echo "|---|---|---|---|---|"
    awk -F'\t' '
        { fold = $1 "\t" $3 "\t" $4 "\t" $5; acc[fold, $2] = $6; f1[fold, $2] = $7; if (!(fold in seen)) { seen[fold] = 1; folds[++count] = fold } }
        function sd(sum, squares, k) { return k > 1 ? sqrt((squares - sum * sum / k) / (k - 1)) : 0 }
        END { for (i = 1; i <= count; i++) { r = folds[i]
                  if (!((r, "robust") in acc) || !((r, "reference") in acc)) continue
                  split(r, p, "\t"); key = p[1] "\t" p[2]; if (!(key in n)) order[++models] = key
                  da = acc[r, "robust"] - acc[r, "reference"]; df = f1[r, "robust"] - f1[r, "reference"]
                  n[key]++; a[key] += da; aa[key] += da * da; f[key] += df; ff[key] += df * df }
              for (i = 1; i <= models; i++) { k = order[i]; split(k, p, "\t")
                  printf "| %s | %s | %d | %+.4f ± %.4f | %+.4f ± %.4f |\n", p[1], p[2], n[k], a[k] / n[k], sd(a[k], aa[k], n[k]),
                         f[k] / n[k], sd(f[k], ff[k], n[k]) } }' <(sorted_results)
}

case "$what" in
    run|all)
        IFS=';' read -r -a models <<< "$MODELS"
        for model in "${models[@]}"; do
            for recipe in $RECIPES; do run_one "$model" "$recipe"; done
        done
        [[ "$what" == all ]] && summary ;;
    folds)
        # Once, before the parallel processes: the unpacked data and the run store's schema (created by the first
        # `har` that opens it; several opening a new store at once would race on its migrations).
        HARLAB_DSADS=$(dsads_folder); export HARLAB_DSADS
        HAR_RUNS="${RESULTS%.tsv}.sqlite" "$HAR" --quiet --no-rc -c "runs" > /dev/null
        IFS=';' read -r -a models <<< "$MODELS"
        for model in "${models[@]}"; do
            for subject in $SUBJECTS; do
                for recipe in $RECIPES; do printf '%s\0%s\0%s\0' "$model" "$recipe" "$subject"; done
            done
        done | xargs -0 -n 3 -P "$JOBS" "$0" fold
        summary ;;
    fold) run_fold "$2" "$3" "$4" ;;
    summary) summary ;;
    partial) store_rows > "${RESULTS%.tsv}-partial.tsv"; RESULTS="${RESULTS%.tsv}-partial.tsv" summary ;;
    *) echo "usage: $0 [run|folds|summary|partial]" >&2; exit 2 ;;
esac
