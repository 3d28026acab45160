#!/usr/bin/env bash
# Fuzzes every Jazzer target in reliability (every @FuzzTest method), each for its full time, and
# keeps going after findings; then reports, per target, how it ended and what it found.
#
#   reliability/fuzz.sh [DURATION] [FILTER]
#
#   DURATION  per target, as Jazzer reads it (30s, 5m, 1h); default 5m
#   FILTER    only targets whose Class#method matches this regular expression; default all
#   KEEP_GOING (environment) distinct findings a target may collect before it stops; default 100
#
# Jazzer fuzzes one test per JVM, so each target gets its own Maven run. Findings are saved as
# crash-* files in the target's seed directory, src/test/resources/dev/eksaccess/reliability/
# <Class>Inputs/<method>/: keep each one, renamed, as a regression seed once it is fixed. Logs are
# in reliability/target/fuzz/. The exit status is 1 when any target found something.
set -uo pipefail

cd "$(dirname "$0")/.."
duration="${1:-5m}"
filter="${2:-.}"
keep_going="${KEEP_GOING:-100}"
sources=reliability/src/test/java/dev/eksaccess/reliability
inputs=reliability/src/test/resources/dev/eksaccess/reliability
logs=reliability/target/fuzz
mkdir -p "$logs"

# Class#method of every @FuzzTest: the first method declared after each annotation
targets=$(for f in "$sources"/*.java; do
  awk -v cls="$(basename "$f" .java)" '
    /@FuzzTest/ { pending = 1; next }
    pending && match($0, /void [A-Za-z0-9_]+\(/) {
      print cls "#" substr($0, RSTART + 5, RLENGTH - 6); pending = 0
    }' "$f"
done | grep -E -- "$filter" || true)
if [ -z "$targets" ]; then
  echo "no fuzz target matches '$filter'" >&2
  exit 2
fi

# compile once, so the campaigns below spend their time fuzzing
./mvnw -o -q -pl reliability -am test-compile || exit 2

summary=()
found=0
for target in $targets; do
  cls="${target%%#*}"
  method="${target#*#}"
  dir="$inputs/${cls}Inputs/$method"
  log="$logs/$cls-$method.log"
  mkdir -p "$dir"
  before=$(ls "$dir" | grep -c '^crash-' || true)
  echo "== $target: fuzzing for $duration (log: $log)"
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$duration" JAZZER_KEEP_GOING="$keep_going" \
    ./mvnw -o -pl reliability -am test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
    >"$log" 2>&1
  status=$?
  after=$(ls "$dir" | grep -c '^crash-' || true)
  new=$((after - before))
  runs=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)
  [ -z "$runs" ] && runs=$(grep -Eo '#[0-9]+\s+(DONE|pulse|NEW|REDUCE)' "$log" | tail -1)
  if [ "$new" -gt 0 ] || [ "$status" -ne 0 ]; then
    found=1
    summary+=("FOUND $target: $new new crash file(s) in $dir, exit $status (${runs:-no run count}); see $log")
  else
    summary+=("ok    $target: nothing found (${runs:-no run count})")
  fi
done

echo
echo "== fuzzing summary ($duration per target)"
printf '%s\n' "${summary[@]}"
exit "$found"
