# Shared helpers for the scripts in this folder. Source it; do not run it.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$ROOT/.work"
mkdir -p "$WORK"

say() { printf '[orchestrator] %s\n' "$*" >&2; }
die() { printf '[orchestrator] error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# apt_install PKG...: installs Debian packages that are missing, as root; otherwise says what is missing.
apt_install() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! is_root; then
    die "missing Debian packages: ${missing[*]}. Install them (sudo apt-get install -y ${missing[*]}) or run this script as root."
  fi
  say "installing ${missing[*]}"
  if [ ! -f "$WORK/.apt-updated" ]; then
    apt-get update -qq >"$WORK/apt.log" 2>&1 || die "apt-get update failed; see $WORK/apt.log"
    touch "$WORK/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>"$WORK/apt.log" 2>&1 \
    || die "apt-get install ${missing[*]} failed; see $WORK/apt.log"
}

# free_port: prints a TCP port that nothing listens on at 127.0.0.1.
free_port() {
  python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

# wait_for DESCRIPTION SECONDS COMMAND...: polls COMMAND until it succeeds or the deadline passes.
wait_for() {
  local what="$1" seconds="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.2
  done
  say "$what is ready"
}
