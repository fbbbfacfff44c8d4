#!/usr/bin/env bash
# Runs the CLI against the local demo cluster (the database run-local.sh started), e.g. scripts/cli.sh jobs list --json
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cli="$ROOT/src/Orchestrator.Cli/bin/Release/net10.0/orchestrator.dll"
[ -f "$cli" ] || dotnet build "$ROOT/src/Orchestrator.Cli" -c Release -nologo -clp:ErrorsOnly >&2
if [ -z "${ORCHESTRATOR_CONNECTION_STRING:-}" ]; then
  [ -f "$WORK/connection-string" ] || die "no local cluster known: start one with scripts/run-local.sh, or set ORCHESTRATOR_CONNECTION_STRING"
  ORCHESTRATOR_CONNECTION_STRING="$(cat "$WORK/connection-string")"
  export ORCHESTRATOR_CONNECTION_STRING
fi
exec dotnet "$cli" "$@"
