#!/usr/bin/env bash
# Verify a training-dataset snapshot and stage a copy of it beside the live dataset.
#
# usage: stage-dataset.sh STORE_DIR DATASET SNAPSHOT_ID EXPECTED_MANIFEST_SHA256
#
# Layout (STORE_DIR/DATASET/):
#   snapshots/<snapshot_id>/MANIFEST.sha256   immutable snapshot, manifest in `sha256sum` format
#   snapshots/<snapshot_id>/part-NNNNN.csv    parts, each with one header line
#   versions/<name>/                          materialised copies; `current` links to one of them
#   current -> versions/<name>                what training reads
#
# Checks, in order: the manifest's sha256 equals EXPECTED (the catalog's record); every manifest
# line names a plain part file; every part matches the manifest; the staged copy matches again.
# Writes only a new directory versions/<snapshot_id>-<UTC timestamp>; never touches `current`.
# Prints one JSON object on stdout; exits 1 on a failed check, 2 on bad usage.
set -euo pipefail

json_str() {
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\r'/\\r}; s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}
fail() {
  local code=$1; shift
  printf 'stage-dataset: %s\n' "$*" >&2
  printf '{"ok":false,"error":%s}\n' "$(json_str "$*")"
  exit "$code"
}

[[ $# -eq 4 ]] || fail 2 "usage: stage-dataset.sh STORE_DIR DATASET SNAPSHOT_ID EXPECTED_MANIFEST_SHA256"
store=$1 dataset=$2 snapshot=$3 expected=$4
[[ -n $store ]] || fail 2 "STORE_DIR is empty"
[[ $dataset =~ ^[a-z0-9][a-z0-9-]*$ ]] || fail 2 "bad dataset name: $dataset"
[[ $snapshot =~ ^snap-[0-9a-f]{8}$ ]] || fail 2 "bad snapshot id: $snapshot"
[[ $expected =~ ^[0-9a-f]{64}$ ]] || fail 2 "expected manifest sha256 must be 64 lowercase hex characters"

root="$store/$dataset"
src="$root/snapshots/$snapshot"
[[ -d $src ]] || fail 1 "snapshot directory not found: $src"
[[ -f $src/MANIFEST.sha256 ]] || fail 1 "manifest not found: $src/MANIFEST.sha256"

actual=$(sha256sum -- "$src/MANIFEST.sha256" | cut -d' ' -f1)
[[ $actual == "$expected" ]] || fail 1 "manifest sha256 mismatch: catalog $expected, file $actual"

# Only '<64 hex><two spaces>part-NNNNN.csv' lines: no paths, no binary-mode markers.
parts=()
while IFS= read -r line || [[ -n $line ]]; do
  [[ $line =~ ^[0-9a-f]{64}\ \ (part-[0-9]{5}\.csv)$ ]] || fail 1 "unexpected manifest line: $line"
  parts+=("${BASH_REMATCH[1]}")
done < "$src/MANIFEST.sha256"
[[ ${#parts[@]} -gt 0 ]] || fail 1 "manifest lists no parts"

(cd -- "$src" && sha256sum --check --strict --quiet MANIFEST.sha256) >&2 \
  || fail 1 "snapshot part does not match its manifest: $src"

live_target=none
if [[ -L $root/current ]]; then
  live_target=$(readlink -- "$root/current")
elif [[ -e $root/current ]]; then
  fail 1 "$root/current exists but is not a symlink; refusing to stage next to it"
fi

name="$snapshot-$(date -u +%Y%m%dT%H%M%SZ)"
tmp="$root/versions/.tmp-$name"
dst="$root/versions/$name"
[[ ! -e $dst ]] || fail 1 "staging target already exists: $dst (retry in a second)"
mkdir -p -- "$root/versions"
rm -rf -- "$tmp"
mkdir -- "$tmp"
trap 'rm -rf -- "$tmp"' EXIT

cp -- "$src/MANIFEST.sha256" "$tmp/MANIFEST.sha256"
rows=0
for part in "${parts[@]}"; do
  cp -- "$src/$part" "$tmp/$part"
  lines=$(wc -l < "$tmp/$part")
  (( lines >= 1 )) || fail 1 "part has no header line: $part"
  rows=$(( rows + lines - 1 ))
done
(cd -- "$tmp" && sha256sum --check --strict --quiet MANIFEST.sha256) >&2 \
  || fail 1 "staged copy does not match the manifest"
chmod a-w -- "$tmp"/*
mv -T -- "$tmp" "$dst"
trap - EXIT

printf '{"ok":true,"dataset":%s,"snapshot_id":%s,"staged":%s,"live_target":%s,"rows":%d,"parts":%d,"manifest_sha256":%s}\n' \
  "$(json_str "$dataset")" "$(json_str "$snapshot")" "$(json_str "versions/$name")" \
  "$(json_str "$live_target")" "$rows" "${#parts[@]}" "$(json_str "$actual")"
