#!/usr/bin/env bash
# Replays docs/first-hour.har in a real terminal (tmux, 140 columns) and writes what the screen showed to
# docs/FIRST-HOUR.md: the transcript issue 20 asked for, each fixed behaviour of a new user's first hour in view.
# Usage: scripts/first-hour-transcript.sh [HAR_BINARY]   (default .build/release/har; a fresh HOME and run store)
set -euo pipefail
cd "$(dirname "$0")/.."
har="$(realpath "${1:-.build/release/har}")"
session="harlab-first-hour-$$"
home="$(mktemp -d)"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$home"' EXIT
tmux new-session -d -s "$session" -x 140 -y 60 "cd '$home' && HOME='$home' COLUMNS=140 '$har' --no-rc"
tmux set-option -t "$session" history-limit 20000 >/dev/null
prompt_count() { tmux capture-pane -p -t "$session" -S - | grep -c '^har> *' || true; }
wait_for_prompt() {  # waits until the screen shows one more prompt than before the command
  local before="$1" waited=0
  until [ "$(prompt_count)" -gt "$before" ]; do
    sleep 0.5; waited=$((waited + 1))
    [ "$waited" -lt 2400 ] || { echo "first-hour-transcript: no prompt after 20 minutes" >&2; exit 1; }
  done
}
wait_for_prompt 0
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  before="$(prompt_count)"
  tmux send-keys -t "$session" -l "$line"
  tmux send-keys -t "$session" Enter
  wait_for_prompt "$before"
done < docs/first-hour.har
{
  echo "# A new user's first hour, replayed"
  echo
  echo "What a researcher sees in a 140-column terminal, replayed from \`docs/first-hour.har\` by"
  echo "\`scripts/first-hour-transcript.sh\` (tmux; fresh home folder and run store). Each step shows one behaviour that"
  echo "issue 20 found misleading, confusing or silent, as it is now. Numbers change with the machine's"
  echo "arithmetic; the shape of the output does not."
  echo
  echo '```'
  tmux capture-pane -p -t "$session" -S - | sed -e 's/[[:space:]]*$//' | cat -s
  echo '```'
} > docs/FIRST-HOUR.md
echo "wrote docs/FIRST-HOUR.md"
