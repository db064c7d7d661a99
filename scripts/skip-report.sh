#!/usr/bin/env bash
# Lists every test XCTest skipped in a `swift test` log, with its reason, and fails when a skip was not asked for.
#
# Usage: scripts/skip-report.sh LOG
#
# A skip is expected only when its reason says which variable asked for it, and the environment agrees:
#   "NAME=VALUE: …"          an opt-out (HARLAB_SKIP_BROWSER=1, HAR_SKIP_EXAMPLES=1, HARLAB_SKIP_REAL_DATA=1): expected
#                            when NAME is VALUE in this environment;
#   "without NAME=VALUE: …"  an opt-in check (e.g. a long loop asked for by a variable): expected when NAME is not VALUE here.
# Any other skip (data absent, no browser, a binary not built, a privilege missing) fails: a check the README
# promises did not run. Child-process entry points (tests that run only inside a child process another test starts,
# marked "[child-process entry point]") are not tests: they are counted apart and never fail the report.
# Exit status: 0 when every skip was expected, 1 otherwise, 2 when the log cannot be read.
set -euo pipefail
log="${1:?usage: scripts/skip-report.sh LOG}"
[ -r "$log" ] || { echo "skip report: cannot read $log" >&2; exit 2; }

awk '
  # XCTest (swift-corelibs-xctest) prints "FILE:LINE: Suite.test : Test skipped - REASON" (XCTSkipIf/Unless put
  # "Test skipped: CONDITION - REASON"), then "Test Case '\''Suite.test'\'' skipped (S seconds)".
  match($0, /: [^ ]+ : Test skipped/) {
    head = substr($0, RSTART + 2, RLENGTH - 2)
    name = substr(head, 1, index(head, " : ") - 1)
    rest = substr($0, RSTART + RLENGTH)
    dash = index(rest, " - ")
    reason[name] = dash > 0 ? substr(rest, dash + 3) : rest
    next
  }
  /^Test Case '\''.*'\'' skipped/ {
    name = $0; sub(/^Test Case '\''/, "", name); sub(/'\'' skipped.*$/, "", name)
    why = (name in reason) ? reason[name] : "(no reason printed)"
    if (index(why, "[child-process entry point]") > 0) { entries[++entryCount] = name; next }
    verdict = "UNEXPECTED"
    text = why
    optIn = sub(/^without /, "", text)
    if (match(text, /^[A-Za-z_][A-Za-z0-9_]*=[^: ]*:/)) {
      setting = substr(text, 1, RLENGTH - 1)
      variable = substr(setting, 1, index(setting, "=") - 1)
      value = substr(setting, index(setting, "=") + 1)
      isSet = (variable in ENVIRON) && ENVIRON[variable] == value
      if (optIn && !isSet) verdict = "expected (opt-in " setting " not set)"
      if (!optIn && isSet) verdict = "expected (" setting ")"
    }
    lines[++count] = sprintf("  %s\n      %s\n      -> %s", name, why, verdict)
    if (verdict == "UNEXPECTED") unexpected++
  }
  END {
    print ""
    print "==== skipped tests: " count + 0 " (" unexpected + 0 " not asked for) ===="
    for (i = 1; i <= count; i++) print lines[i]
    if (entryCount > 0) {
      printf "  (%d child-process entry points, not tests, skipped as they run only inside the child their test starts:", entryCount
      for (i = 1; i <= entryCount; i++) printf " %s", entries[i]
      print ")"
    }
    if (unexpected > 0) {
      print "skip report: " unexpected " skipped test(s) were not asked for; fix their cause, or set the variable their reason names to skip them on purpose"
      exit 1
    }
  }
' "$log"
