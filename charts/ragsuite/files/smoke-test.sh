#!/bin/sh
# The smoke test of a RagSuite release, run by `helm test` (templates/tests/test-query.yaml) and after every
# Argo CD sync or helm install/upgrade (templates/smoke/job.yaml): waits for the gateway to be ready, creates a
# collection, ingests a document, finds it again with a query, and deletes the collection, checking every HTTP
# status. POSIX sh and curl only (the curlimages/curl image).
#
# Environment:
#   GATEWAY              base URL of the gateway Service, e.g. http://ragsuite-gateway.rag.svc.cluster.local:8080
#   API_KEY_FILE         optional: a file holding an API key with role admin (needed when the gateway has API keys on)
#   READY_TIMEOUT        seconds to wait for GET /readyz to answer 200 (default 300)
#   COLLECTION_PREFIX    the test collection's name starts with this (default smoke)
#   TMPDIR               where curl's config and the response bodies go (default /tmp, an emptyDir in the pod)
set -eu

: "${GATEWAY:?GATEWAY must be the gateway base URL}"
ready_timeout=${READY_TIMEOUT:-300}
work=${TMPDIR:-/tmp}

# The key goes into a curl config file, never onto a command line that ps would show.
: > "$work/curlrc"
if [ -n "${API_KEY_FILE:-}" ]; then
  [ -s "$API_KEY_FILE" ] || { echo "FAIL: API_KEY_FILE $API_KEY_FILE is missing or empty"; exit 1; }
  printf 'header = "Authorization: Bearer %s"\n' "$(tr -d '\r\n' < "$API_KEY_FILE")" > "$work/curlrc"
fi

# 1-64 characters of [A-Za-z0-9_.-]: a prefix, the time and the pod's name keep concurrent runs apart.
c=$(printf '%s-%s-%s' "${COLLECTION_PREFIX:-smoke}" "$(date +%s)" "${HOSTNAME:-local}" | tr -c 'A-Za-z0-9_.-' '-' | cut -c1-64)

fail() { echo "FAIL: $*"; cat "$work/body" 2>/dev/null; echo; exit 1; }

# call EXPECTED_STATUS METHOD PATH [JSON_BODY]
call() {
  expected=$1; method=$2; path=$3
  if [ $# -ge 4 ]; then
    code=$(curl -K "$work/curlrc" -sS -o "$work/body" -w '%{http_code}' --max-time 120 -X "$method" \
      -H 'Content-Type: application/json' --data "$4" "$GATEWAY$path") || fail "$method $path: no answer"
  else
    code=$(curl -K "$work/curlrc" -sS -o "$work/body" -w '%{http_code}' --max-time 120 -X "$method" "$GATEWAY$path") || fail "$method $path: no answer"
  fi
  [ "$code" = "$expected" ] || fail "$method $path: HTTP $code, expected $expected"
  echo "ok: $method $path -> $code"
}

# Under plain Helm a post-install hook starts while pods are still starting; under Argo CD the sync is
# already healthy. Either way: wait for readiness first, up to READY_TIMEOUT seconds.
waited=0
until [ "$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "$GATEWAY/readyz" 2>/dev/null)" = 200 ]; do
  [ "$waited" -lt "$ready_timeout" ] || fail "GET /readyz did not answer 200 within ${ready_timeout}s"
  sleep 5; waited=$((waited + 5))
done
echo "ok: GET /readyz -> 200 after ${waited}s"

# Leave no test collection behind, whatever fails.
trap 'curl -K "$work/curlrc" -sS -o /dev/null --max-time 30 -X DELETE "$GATEWAY/v1/collections/$c" || true' EXIT

call 201 POST /v1/collections "{\"name\":\"$c\"}"
call 200 POST "/v1/collections/$c/documents" \
  '{"documents":[{"id":"smoke-test-doc","title":"Smoke test","text":"The RagSuite smoke test checks that the gateway can ingest a document and find it again."}]}'
grep -Eq '"created": ?1' "$work/body" || fail "ingest did not create the document"
call 200 POST /v1/query "{\"collection\":\"$c\",\"question\":\"What does the smoke test check?\",\"top_k\":3}"
grep -q 'smoke-test-doc' "$work/body" || fail "the query did not return the ingested document"
call 204 DELETE "/v1/collections/$c"
trap - EXIT
echo "all checks passed"
