#!/usr/bin/env bash
# Brings up what the tests and the demo need and prints the environment as `export` lines:
#   eval "$(scripts/env.sh)"
set -euo pipefail
source "$(dirname "$0")/lib/all.sh"
ensure_environment
printf 'export ORCHESTRATOR_PG=%q\nexport ORCHESTRATOR_TEST_IMAGE=%q\n' "$ORCHESTRATOR_PG" "$TEST_IMAGE"
