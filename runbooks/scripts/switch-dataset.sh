#!/usr/bin/env bash
# Atomically point a training dataset's `current` link at a materialised copy.
#
# usage: switch-dataset.sh STORE_DIR DATASET TARGET
#   TARGET  versions/<name> (relative to STORE_DIR/DATASET), or "none" to remove the link
#
# The target is verified against its own MANIFEST.sha256 before the switch. The switch is a
# rename of a new symlink over `current` (atomic on one filesystem), so readers see either the
# old or the new copy, never a mix. Used forwards by training-dataset-restore and, with the
# previous target, as its rollback. Prints one JSON object; exits 1 on failure, 2 on bad usage.
set -euo pipefail

json_str() {
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\r'/\\r}; s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}
fail() {
  local code=$1; shift
  printf 'switch-dataset: %s\n' "$*" >&2
  printf '{"ok":false,"error":%s}\n' "$(json_str "$*")"
  exit "$code"
}

[[ $# -eq 3 ]] || fail 2 "usage: switch-dataset.sh STORE_DIR DATASET TARGET"
store=$1 dataset=$2 target=$3
[[ -n $store ]] || fail 2 "STORE_DIR is empty"
[[ $dataset =~ ^[a-z0-9][a-z0-9-]*$ ]] || fail 2 "bad dataset name: $dataset"
[[ $target == none || $target =~ ^versions/[A-Za-z0-9][A-Za-z0-9._-]*$ ]] \
  || fail 2 "TARGET must be versions/<name> or none, got: $target"

root="$store/$dataset"
[[ -d $root ]] || fail 1 "dataset directory not found: $root"

previous=none
if [[ -L $root/current ]]; then
  previous=$(readlink -- "$root/current")
elif [[ -e $root/current ]]; then
  fail 1 "$root/current exists but is not a symlink; refusing to replace it"
fi

rows=0 parts=0 manifest_sha256=""
if [[ $target == none ]]; then
  rm -f -- "$root/current"
else
  dir="$root/$target"
  [[ -d $dir && -f $dir/MANIFEST.sha256 ]] || fail 1 "target is not a dataset copy: $dir"
  (cd -- "$dir" && sha256sum --check --strict --quiet MANIFEST.sha256) >&2 \
    || fail 1 "target does not match its manifest: $dir"
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^[0-9a-f]{64}\ \ (part-[0-9]{5}\.csv)$ ]] || fail 1 "unexpected manifest line: $line"
    lines=$(wc -l < "$dir/${BASH_REMATCH[1]}")
    rows=$(( rows + lines - 1 )); parts=$(( parts + 1 ))
  done < "$dir/MANIFEST.sha256"
  manifest_sha256=$(sha256sum -- "$dir/MANIFEST.sha256" | cut -d' ' -f1)

  link="$root/.current.new.$$"
  rm -f -- "$link"
  ln -s -- "$target" "$link"
  mv -T -- "$link" "$root/current"
  [[ $(readlink -- "$root/current") == "$target" ]] || fail 1 "current does not point at $target after the switch"
fi

printf '{"ok":true,"dataset":%s,"current_target":%s,"previous_target":%s,"rows":%d,"parts":%d,"manifest_sha256":%s}\n' \
  "$(json_str "$dataset")" "$(json_str "$target")" "$(json_str "$previous")" \
  "$rows" "$parts" "$(json_str "$manifest_sha256")"
