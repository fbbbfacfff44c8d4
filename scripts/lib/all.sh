# Sources every helper and offers ensure_environment: what the tests, the demo and the benchmarks need.
# shellcheck shell=bash
LIB="$(dirname "${BASH_SOURCE[0]}")"
source "$LIB/common.sh"
source "$LIB/dotnet.sh"
source "$LIB/postgres.sh"
source "$LIB/docker.sh"

# ensure_environment [IMAGE]: the .NET SDK, PostgreSQL (ORCHESTRATOR_PG), a Docker engine and a local busybox image.
ensure_environment() {
  ensure_dotnet
  ensure_postgres
  ensure_docker
  TEST_IMAGE="${1:-$TEST_IMAGE}"
  ensure_test_image
}
