#!/usr/bin/env bash
# Runs every test against real parts: starts (or reuses) a throwaway PostgreSQL cluster in .work/pg, a Docker
# engine and a locally built busybox image, builds the solution, runs all test projects, then the short
# fault-injection suite (scripts/fault-suite.sh --short: silo kills, a Postgres and a Docker engine restart).
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Capture]
set -euo pipefail
source "$(dirname "$0")/lib/all.sh"

ensure_environment
export ORCHESTRATOR_PG ORCHESTRATOR_TEST_IMAGE="$TEST_IMAGE"

cd "$ROOT"
results="$WORK/test-results"
rm -rf "$results"
say "building"
dotnet build Orchestrator.sln -c Release -nologo -clp:ErrorsOnly
say "testing"
status=0
dotnet test Orchestrator.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" "$@" || status=$?

python3 - "$results" <<'PY'
import sys, pathlib, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for trx in pathlib.Path(sys.argv[1]).glob("*.trx"):
    counters = ET.parse(trx).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
if passed == 0:
    sys.exit(1)
PY

if [ $# -eq 0 ]; then
  say "fault-injection suite (short)"
  FAULT_SUITE_BUILD=0 bash "$ROOT/scripts/fault-suite.sh" --short || status=$?
fi
exit "$status"
