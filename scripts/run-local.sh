#!/usr/bin/env bash
# Runs the demo locally: a PostgreSQL cluster in .work/pg (unless ORCHESTRATOR_PG names one), a Docker engine, a
# small demo image built locally, and one silo running scripts/demo/pipelines.json (orders table -> container).
# The silo runs in the foreground; stop it with Ctrl-C. Extra arguments go to the host (e.g. --urls http://127.0.0.1:9090).
set -euo pipefail
source "$(dirname "$0")/lib/all.sh"

ensure_environment orchestrator-demo/busybox:1

psql_url="$(python3 - "$ORCHESTRATOR_PG" <<'PY'
import sys
parts = dict(p.split("=", 1) for p in sys.argv[1].split(";") if p)
print(f"postgresql://{parts.get('Username', 'postgres')}@{parts.get('Host', '127.0.0.1')}:{parts.get('Port', '5432')}/{parts.get('Database', 'postgres')}")
PY
)"
psql "$psql_url" -q -v ON_ERROR_STOP=1 -f "$ROOT/scripts/demo/schema.sql" || die "could not create the demo table"

cd "$ROOT"
say "building the host and the CLI"
dotnet build src/Orchestrator.Host -c Release -nologo -clp:ErrorsOnly
dotnet build src/Orchestrator.Cli -c Release -nologo -clp:ErrorsOnly
echo "$ORCHESTRATOR_PG" >"$WORK/connection-string"

cat >&2 <<EOT

[orchestrator] the silo is starting with the demo pipeline (scripts/demo/pipelines.json).
  insert a row:   psql "$psql_url" -c "INSERT INTO orders (customer, amount) VALUES ('ada', 42)"
  list its job:   scripts/cli.sh jobs list
  show the job:   scripts/cli.sh jobs show 'job:orders-to-print:1'
  dashboard:      http://127.0.0.1:8080/dashboard
  stop:           Ctrl-C

EOT
exec dotnet src/Orchestrator.Host/bin/Release/net10.0/Orchestrator.Host.dll \
  --Orchestrator:ConnectionString="$ORCHESTRATOR_PG" \
  --Orchestrator:PipelinesFile="$ROOT/scripts/demo/pipelines.json" "$@"
