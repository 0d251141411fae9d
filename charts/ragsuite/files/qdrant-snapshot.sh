#!/bin/sh
# Snapshots every Qdrant collection on every Qdrant node, then deletes all but the newest $KEEP snapshots of each
# collection on each node. In a cluster a collection snapshot holds only the shards of the node that makes it, so a
# complete backup is one snapshot per collection per node.
#
# Environment: QDRANT_URL (REST base URL), KEEP (>= 1), QDRANT_API_KEY_FILE (optional), QDRANT_PEERS (optional,
# space-separated REST URLs of every node; empty = the peers GET /cluster lists, at their hosts on QDRANT_URL's scheme
# and port), REQUEST_TIMEOUT (seconds per request).
#
# Needs only POSIX sh, curl, grep, sed, awk, od and sort (busybox has them all). Every failed request is reported and
# the run goes on with the next collection or node, so one bad node does not cost the others their backup; the exit
# status is non-zero if anything failed.
set -eu

: "${QDRANT_URL:?QDRANT_URL is not set}"
: "${KEEP:?KEEP is not set}"
case $KEEP in '' | *[!0-9]* | 0) echo "KEEP must be a whole number of at least 1, not '$KEEP'" >&2; exit 2 ;; esac
QDRANT_URL=${QDRANT_URL%/}
work=${TMPDIR:-/tmp}/qdrant-snapshot.$$
mkdir -m 700 "$work"
trap 'rm -rf "$work"' EXIT

# The key goes to curl in a config file, never on its command line, where ps would show it.
: > "$work/curlrc"
if [ -n "${QDRANT_API_KEY_FILE:-}" ]; then
  key=$(cat "$QDRANT_API_KEY_FILE")
  [ -n "$key" ] || { echo "$QDRANT_API_KEY_FILE is empty" >&2; exit 2; }
  printf 'header = "api-key: %s"\n' "$(printf '%s' "$key" | sed 's/[\\"]/\\&/g')" > "$work/curlrc"
fi

failed=0
fail() { echo "FAILED: $*" >&2; failed=1; }

# call METHOD URL: the response body on stdout; non-zero (curl prints the status and body) on any HTTP error.
# No request has a body; Content-Length: 0 says so, as HTTP/1.1 wants of a POST.
call() {
  curl -K "$work/curlrc" -sS --fail-with-body --max-time "${REQUEST_TIMEOUT:-3600}" -H 'Content-Length: 0' -X "$1" "$2" < /dev/null
}

# A path segment: kept as is when it needs no escaping, otherwise every byte percent-encoded.
segment() {
  case $1 in
    *[!A-Za-z0-9._~-]*) printf '%s' "$1" | od -An -v -tx1 | tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//; s/ /%/g; s/^/%/' ;;
    *) printf '%s' "$1" ;;
  esac
}

# Values of a string member in Qdrant's compact JSON, one a line. Qdrant's names never hold '"' or '\'.
members() { grep -o "\"$1\":\"[^\"]*\"" | sed "s/^\"$1\":\"//; s/\"\$//"; }

# The nodes: QDRANT_PEERS, or each peer's host from GET /cluster on QDRANT_URL's scheme and port.
if [ -n "${QDRANT_PEERS:-}" ]; then
  printf '%s\n' $QDRANT_PEERS | sed 's#/*$##' > "$work/peers"
else
  cluster=$(call GET "$QDRANT_URL/cluster") || { echo "FAILED: GET $QDRANT_URL/cluster" >&2; exit 1; }
  scheme=${QDRANT_URL%%://*}
  authority=${QDRANT_URL#*://}
  authority=${authority%%/*}
  case $authority in
    *:*) port=${authority##*:} ;;
    *) if [ "$scheme" = https ]; then port=443; else port=80; fi ;;
  esac
  case $cluster in
    *'"status":"enabled"'*)
      printf '%s\n' "$cluster" | members uri | sed 's#^[a-z]*://##; s#/.*$##; s#:[0-9]*$##' |
        awk -v prefix="$scheme://" -v port="$port" 'NF { print prefix $0 ":" port }' > "$work/peers" ;;
    *) printf '%s\n' "$QDRANT_URL" > "$work/peers" ;;
  esac
fi
[ -s "$work/peers" ] || { echo "FAILED: no Qdrant nodes found" >&2; exit 1; }

# Collections are cluster-wide: listed once.
call GET "$QDRANT_URL/collections" > "$work/collections.json" || { echo "FAILED: GET $QDRANT_URL/collections" >&2; exit 1; }
members name < "$work/collections.json" > "$work/collections"
echo "$(wc -l < "$work/collections") collection(s), $(wc -l < "$work/peers") node(s), keeping $KEEP snapshot(s) of each"

while IFS= read -r peer; do
  while IFS= read -r collection; do
    base="$peer/collections/$(segment "$collection")/snapshots"
    if created=$(call POST "$base?wait=true"); then
      echo "$peer $collection: created $(printf '%s' "$created" | members name)"
    else
      fail "$peer $collection: POST $base"
      continue
    fi
    if ! call GET "$base" > "$work/snapshots.json"; then
      fail "$peer $collection: GET $base"
      continue
    fi
    # One snapshot a line as "<creation_time> <name>", newest first; one without a creation time is never deleted.
    tr '{' '\n' < "$work/snapshots.json" |
      sed -n 's/.*"name":"\([^"]*\)".*"creation_time":"\([^"]*\)".*/\2 \1/p' |
      sort -r | awk -v keep="$KEEP" 'NR > keep { sub(/^[^ ]* /, ""); print }' > "$work/old"
    while IFS= read -r old; do
      if call DELETE "$base/$(segment "$old")?wait=true" > /dev/null; then
        echo "$peer $collection: deleted $old"
      else
        fail "$peer $collection: DELETE $old"
      fi
    done < "$work/old"
  done < "$work/collections"
done < "$work/peers"

[ "$failed" = 0 ] || { echo "some snapshots failed; see FAILED above" >&2; exit 1; }
echo "all snapshots taken"
