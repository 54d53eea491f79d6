#!/usr/bin/env bash
# Remove staged copies of one snapshot that nothing reads (rollback of stage-dataset.sh).
#
# usage: discard-staged.sh STORE_DIR DATASET SNAPSHOT_ID
#
# Removes STORE_DIR/DATASET/versions/<snapshot_id>-* and leftover .tmp-<snapshot_id>-* except
# the copy `current` points at. Never touches snapshots/. Idempotent: nothing to remove is fine.
# Prints one JSON object; exits 1 on failure, 2 on bad usage.
set -euo pipefail

json_str() {
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\r'/\\r}; s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}
fail() {
  local code=$1; shift
  printf 'discard-staged: %s\n' "$*" >&2
  printf '{"ok":false,"error":%s}\n' "$(json_str "$*")"
  exit "$code"
}

[[ $# -eq 3 ]] || fail 2 "usage: discard-staged.sh STORE_DIR DATASET SNAPSHOT_ID"
store=$1 dataset=$2 snapshot=$3
[[ -n $store ]] || fail 2 "STORE_DIR is empty"
[[ $dataset =~ ^[a-z0-9][a-z0-9-]*$ ]] || fail 2 "bad dataset name: $dataset"
[[ $snapshot =~ ^snap-[0-9a-f]{8}$ ]] || fail 2 "bad snapshot id: $snapshot"

root="$store/$dataset"
live=none
if [[ -L $root/current ]]; then live=$(readlink -- "$root/current"); fi

removed=() kept=none
shopt -s nullglob
for dir in "$root/versions/$snapshot-"* "$root/versions/.tmp-$snapshot-"*; do
  rel="versions/${dir##*/}"
  if [[ $rel == "$live" ]]; then
    kept=$rel
    continue
  fi
  chmod -R u+w -- "$dir"
  rm -rf -- "$dir"
  removed+=("$rel")
done

list=""
for r in "${removed[@]}"; do list+="${list:+,}$(json_str "$r")"; done
printf '{"ok":true,"dataset":%s,"snapshot_id":%s,"removed":[%s],"kept_live":%s}\n' \
  "$(json_str "$dataset")" "$(json_str "$snapshot")" "$list" "$(json_str "$kept")"
