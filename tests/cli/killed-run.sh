# Runs ended by SIGTERM, SIGINT or SIGHUP, as a CI timeout or a
# cancelled job ends them. Such a run removes the earlier reports at its
# -o files and the temporary files it staged, and keeps any other file.
# It dies of the signal, so its status is 128 plus the signal's number.
# Each run is held still on a FIFO with no writer or reader, so the
# signal always arrives while the run is unfinished.
. tests/cli/lib.sh

EX=examples/agents
GAAD=examples/exports/authorization-details.json
CHECK="check --today 2026-12-01 --color never"

# Write the reports that an earlier run of check leaves.
earlier_reports() {
	rm -f "$TMP"/r.*
	run $CHECK --against "$GAAD" --format json -o "$TMP/r.json" \
		--format sarif -o "$TMP/r.sarif" --format junit -o "$TMP/r.xml" \
		"$EX"
	expect_status 1
	for f in r.json r.sarif r.xml; do
		[ -s "$TMP/$f" ] || fail "the earlier run wrote no $f"
	done
}

# Wait until the file $1 exists, as the run's helper creates it once
# the run has reached the point under test; at most 30 s.
wait_for() {
	tries=0
	while [ ! -e "$1" ] && [ "$tries" -lt 300 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	[ -e "$1" ] || fail "the run never reached the point under test"
}

# Send signal $1 to the background run $pid, wait for it and expect it
# to have died of that signal: status $2.
kill_run() {
	kill -s "$1" "$pid"
	wait "$pid"
	status=$?
	expect_eq "$status" "$2" "status after SIG$1"
}

expect_gone() {
	[ -e "$1" ] && fail "$1 is still there"
}

expect_no_staged() {
	for f in "$TMP"/*.tmp.*; do
		[ -e "$f" ] && fail "temporary file $f was left behind"
	done
}

# Start check in the background with $1 as its export: a FIFO whose
# writer opens it, which waits until check opens it to read, then
# creates $TMP/reading and keeps it open without writing. The rest of
# the arguments go to check. Sets $pid and $writer.
start_reading() {
	fifo=$1
	shift
	rm -f "$fifo" "$TMP/reading"
	mkfifo "$fifo"
	sh -c ': >"$1"; exec sleep 60' sh "$TMP/reading" >"$fifo" &
	writer=$!
	$launch "$MANDATE" $CHECK --against "$fifo" "$@" >"$out" 2>"$err" &
	pid=$!
	wait_for "$TMP/reading"
}

stop_writer() {
	kill "$writer" 2>/dev/null
	wait "$writer" 2>/dev/null
}

# A background job of a script starts with SIGINT ignored, which the
# run keeps, so it is started with the default action restored.
launch=
if env --default-signal=INT true 2>/dev/null; then
	launch="env --default-signal=INT"
fi

for sig in TERM:143 INT:130 HUP:129; do
	name=${sig%:*}
	want=${sig#*:}
	if [ "$name" = INT ] && [ -z "$launch" ]; then
		echo "SKIP: SIGINT needs env --default-signal (GNU coreutils 8.31)"
		continue
	fi
	case_name "SIG$name removes the earlier reports"
	earlier_reports
	start_reading "$TMP/export.fifo" --format json -o "$TMP/r.json" \
		--format sarif -o "$TMP/r.sarif" --format junit -o "$TMP/r.xml" \
		"$EX"
	kill_run "$name" "$want"
	stop_writer
	for f in r.json r.sarif r.xml; do
		expect_gone "$TMP/$f"
		expect_err "mandate: removed the earlier report $TMP/$f"
	done
	expect_no_staged
done

case_name "SIGTERM keeps a file that is not a report"
earlier_reports
printf '# Release notes\n\nNot a report.\n' >"$TMP/r.md"
start_reading "$TMP/export.fifo" --format json -o "$TMP/r.json" \
	--format markdown -o "$TMP/r.md" "$EX"
kill_run TERM 143
stop_writer
expect_gone "$TMP/r.json"
if ! grep -q 'Not a report' "$TMP/r.md"; then
	fail "the file that is not a report was removed or changed"
fi
expect_no_err "removed the earlier report $TMP/r.md"
# The earlier SARIF report was not among this run's -o files.
[ -s "$TMP/r.sarif" ] || fail "a report of no -o of this run was removed"

# The JSON report is staged first, then the run waits to open the FIFO
# named by the second -o, which has no reader.
case_name "SIGTERM removes the staged temporary files"
earlier_reports
rm -f "$TMP/report.fifo"
mkfifo "$TMP/report.fifo"
"$MANDATE" $CHECK --against "$GAAD" --format json -o "$TMP/r.json" \
	--format sarif -o "$TMP/report.fifo" "$EX" >"$out" 2>"$err" &
pid=$!
for f in "$TMP"/r.json.tmp.*; do :; done
tries=0
while [ ! -e "$f" ] && [ "$tries" -lt 300 ]; do
	sleep 0.1
	tries=$((tries + 1))
	for f in "$TMP"/r.json.tmp.*; do :; done
done
[ -e "$f" ] || fail "the run never staged its JSON report"
kill_run TERM 143
expect_no_staged
expect_gone "$TMP/r.json"
[ -p "$TMP/report.fifo" ] || fail "the FIFO named by -o was replaced"

# Under nohup the run ignores SIGHUP, so SIGTERM is what ends it. Had
# SIGHUP been handled, the run would have died of it first (129).
case_name "SIGHUP ignored at start stays ignored"
earlier_reports
launch=nohup
start_reading "$TMP/export.fifo" --format json -o "$TMP/r.json" "$EX"
kill -s HUP "$pid"
kill_run TERM 143
stop_writer
expect_gone "$TMP/r.json"

finish
