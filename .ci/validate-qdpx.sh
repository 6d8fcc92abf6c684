#!/usr/bin/env bash
# CI: the REFI-QDA project qcode exports validates against the standard's
# project schema, and the standard's example project reads. Runs from the
# repo root of a fresh clone, with ../shared beside it.
set -euo pipefail
cd "$(dirname "$0")/.."

refi=../shared/refi-qda
if [ ! -f "$refi/Project-mrt2019.xsd" ]; then
	echo "validate-qdpx: $refi/Project-mrt2019.xsd is missing; CI needs ../shared beside the checkout" >&2
	exit 1
fi

. .ci/need-xmllint.sh

echo "== the standard's example project validates against its schema"
xmllint --noout --schema "$refi/Project-mrt2019.xsd" "$refi/spec-example2-simple-project.qde"

echo "== qcode's export validates against Project-mrt2019.xsd; the example project reads"
# With CI set, these tests fail rather than skip when xmllint or ../shared
# is missing.
CI=${CI:-1} go test -count=1 -run 'TestExportValidates|TestSpecExample|TestRoundTrip' ./refi

echo "validate-qdpx: ok"
