#!/usr/bin/env bash
# Schemathesis over the whole live API, as in the security review 2026-12 (all checks, every
# phase including stateful), against `yuqi serve` on a small demo with an administrator's key.
#
#   bench/api_fuzz.sh                 # 5 examples per operation, seed 20261205
#   EXAMPLES=25 bench/api_fuzz.sh     # the review's size (about 15 minutes on 2 cores)
#
# The demo is built once into $CACHE (reused while it exists) and copied to a fresh folder for
# every run, so each run starts from the same data. The key-revoking operation is left out
# (the fuzzer would revoke its own key), as the review did. Reports go to $OUT.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/.venv/bin
EXAMPLES=${EXAMPLES:-5}
SEED=${SEED:-20261205}
PORT=${PORT:-8731}
WORKERS=${WORKERS:-2}
CACHE=${CACHE:-$ROOT/var/api-fuzz-demo}
OUT=${OUT:-$ROOT/var/api-fuzz-report}
unset DATABASE_URL

if [ ! -f "$CACHE/yuqi.sqlite3" ]; then
  "$BIN/yuqi" demo --scale small --seed 7 --no-serve --data-dir "$CACHE" >/dev/null
fi
RUN=$(mktemp -d)
trap 'if [ -n "${SERVER:-}" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi; rm -rf "$RUN"' EXIT
cp -a "$CACHE/." "$RUN/"
export YUQI_DATA_DIR=$RUN YUQI_TASKS_BACKEND=database
KEY=$("$BIN/yuqi" manage --data-dir "$RUN" shell -c '
from yuqi.accounts.models import User
from yuqi.accounts.services import apikey_create
admin = User.objects.filter(is_superuser=True).order_by("pk").first()
print(apikey_create(user=admin, name="api-fuzz", created_by=admin)[1])' | tail -n 1)
"$BIN/yuqi" serve --data-dir "$RUN" --port "$PORT" --no-migrate >"$RUN/serve.log" 2>&1 &
SERVER=$!
mkdir -p "$OUT"
set +e
"$BIN/st" run "http://127.0.0.1:$PORT/api/openapi.json" \
  --wait-for-schema 60 \
  --header "Authorization: Bearer $KEY" \
  --checks all \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "$EXAMPLES" --seed "$SEED" --workers "$WORKERS" \
  --exclude-path-regex '/api-keys/\{key_id\}/revoke' \
  --suppress-health-check all --no-color \
  --report json,ndjson --report-dir "$OUT" "$@"
STATUS=$?
set -e
cp "$RUN/serve.log" "$OUT/serve.log"
exit $STATUS
