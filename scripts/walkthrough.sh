#!/usr/bin/env bash
# The README's walkthrough, runnable: start packetlab on a free port with a fresh embedded
# database, then play the operator, a teacher and a learner over plain HTTP (curl; node reads
# the JSON). CI runs this very file (test/scripts/walkthrough.test.ts), so it stays true.
#
#   scripts/walkthrough.sh            # from a checkout, after `npm ci`
#
# Every step prints what it sent and the part of the answer that matters; any failure stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

# 1. Start the service: a random operator token, a temporary data directory, a free port.
DATA_DIR=$(mktemp -d)
OPERATOR_TOKEN=$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
API="http://127.0.0.1:$PORT"
LOG="$DATA_DIR/service.log"
DATA_DIR="$DATA_DIR/db" PORT=$PORT OPERATOR_TOKEN=$OPERATOR_TOKEN RUNNER_WORKERS=1 LOG_LEVEL=warn \
  node bin/packetlab.js serve >"$LOG" 2>&1 &
SERVICE=$!
stop() {
  local status=$?
  kill "$SERVICE" 2>/dev/null && wait "$SERVICE" 2>/dev/null
  rm -rf "$(dirname "$LOG")"
  exit "$status"
}
trap stop EXIT
for _ in $(seq 1 240); do
  curl -sf "$API/readyz" >/dev/null && break
  kill -0 "$SERVICE" 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.25
done
curl -sf "$API/readyz" >/dev/null || { echo "the service never became ready:"; cat "$LOG"; exit 1; }
echo "# packetlab listens on $API"

# call METHOD PATH [TOKEN] [JSON]: the response body; fails (printing it) on an HTTP error.
call() {
  local args=(-sS --fail-with-body -X "$1" "$API$2")
  [ -n "${3:-}" ] && args+=(-H "authorization: Bearer $3")
  [ -n "${4:-}" ] && args+=(-H 'content-type: application/json' -d "$4")
  curl "${args[@]}" || { echo >&2 "failed: $1 $2"; return 1; }
}
# field EXPRESSION: evaluates a JavaScript expression over the JSON on stdin (bound to `it`).
field() {
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const it=JSON.parse(s);
    const v=eval(process.argv[1]);if(v===undefined){console.error(`no ${process.argv[1]} in ${s}`);process.exit(1)}
    console.log(typeof v==="object"?JSON.stringify(v):v)})' "$1"
}
# submission FILE: the JSON body that submits FILE to the final exercise of the first lesson.
submission() {
  node -e 'console.log(JSON.stringify({exerciseId:"message-to-alice",language:process.argv[1].endsWith(".ts")?"typescript":"javascript",code:require("fs").readFileSync(process.argv[1],"utf8")}))' "$1"
}

# 2. The operator creates a teacher; the teacher creates a class, which gets a join code.
TEACHER=$(call POST /v1/teachers "$OPERATOR_TOKEN" '{"name":"Ms Frizzle"}' | field it.token)
CLASS_JSON=$(call POST /v1/classes "$TEACHER" '{"name":"Networks 101"}')
CLASS=$(field it.id <<<"$CLASS_JSON")
JOIN_CODE=$(field it.joinCode <<<"$CLASS_JSON")
echo "# teacher created class $CLASS, join code $JOIN_CODE"

# 3. A learner joins with that code and starts a session on the lesson.
LEARNER=$(call POST /v1/classes/join "" "{\"joinCode\":\"$JOIN_CODE\",\"displayName\":\"Ada\"}" |
  field it.token)
SESSION=$(call POST /v1/sessions "$LEARNER" '{"lessonId":"exchanging-messages"}' | field it.id)
echo "# Ada joined and started session $SESSION"

# 4. A first try sends to the wrong port: the grade says why.
EXERCISE=lessons/exchanging-messages/05-message-to-alice
call POST "/v1/sessions/$SESSION/submissions" "$LEARNER" "$(submission "$EXERCISE/wrong/wrong-port.js")" |
  field '`first try: passed=${it.passed} score=${it.score}\n` +
    it.grade.checks.map(c => `  ${c.passed ? "ok  " : "FAIL"} ${c.title}: ${c.message}`).join("\n")'

# 5. The reference solution passes; every packet it sent comes back decoded.
call POST "/v1/sessions/$SESSION/submissions" "$LEARNER" "$(submission "$EXERCISE/solution.ts")" |
  field '`second try: passed=${it.passed} score=${it.score}, ${it.packets.length} packets, output: ` +
    it.output.map(line => line.text).join(" | ")'

# 6. The learner's progress, then the teacher's view of the class.
call GET /v1/progress "$LEARNER" |
  field 'it.items.filter(p => p.attempts > 0).map(p => `learner progress: ${p.exerciseId} ${p.status} in ${p.attempts} attempts`).join("\n")'
call GET "/v1/classes/$CLASS/progress" "$TEACHER" |
  field 'it.learners.map(l => `class matrix: ${l.displayName}: ` + l.cells.map((c, i) =>
    `${it.exercises[i].exerciseId}=${c.status}`).join(" ")).join("\n")'
call GET "/v1/classes/$CLASS/stats" "$TEACHER" |
  field 'it.items.filter(s => s.learnersAttempted > 0).map(s =>
    `class stats: ${s.exerciseId} pass rate ${s.passRate}, ${s.attempts} attempts`).join("\n")'
call GET "/v1/classes/$CLASS/progress.csv" "$TEACHER" | head -n 1 | sed 's/^/progress.csv: /'
echo "# walkthrough finished"
