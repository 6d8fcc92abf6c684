#!/usr/bin/env bash
# CI: the REFI-QDA codebook qcode exports validates against the standard's
# schema, and the standard's own example codebook imports. Runs from the
# repo root of a fresh clone, with ../shared beside it.
set -euo pipefail
cd "$(dirname "$0")/.."

refi=../shared/refi-qda
if [ ! -f "$refi/Codebook.xsd" ]; then
	echo "validate-qdc: $refi/Codebook.xsd is missing; CI needs ../shared beside the checkout" >&2
	exit 1
fi

. .ci/need-xmllint.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/qcode" ./cmd/qcode

echo "== the default codebook exports as a valid REFI-QDA codebook"
"$tmp/qcode" codebook export --codebook codebook/default.yaml --format qdc >"$tmp/default.qdc"
xmllint --noout --schema "$refi/Codebook.xsd" "$tmp/default.qdc"

echo "== the export imports back to the same codebook"
"$tmp/qcode" codebook export --codebook codebook/default.yaml --format yaml >"$tmp/default.yaml"
cp "$tmp/default.qdc" "$tmp/again.qdc"
"$tmp/qcode" codebook export --codebook "$tmp/again.qdc" --format yaml >"$tmp/again.yaml"
diff -u "$tmp/default.yaml" "$tmp/again.yaml"

echo "== the spec's example codebook imports"
xmllint --noout --schema "$refi/Codebook.xsd" "$refi/spec-example1-codebook.qdc"
"$tmp/qcode" codebook export --codebook "$refi/spec-example1-codebook.qdc" --format yaml >"$tmp/spec.yaml"
grep -q 'id: health_care' "$tmp/spec.yaml"
"$tmp/qcode" codebook validate --codebook "$tmp/spec.yaml" >/dev/null

echo "validate-qdc: ok"
