# Ensures a Docker engine answers and the local test/demo image exists.
# shellcheck shell=bash

TEST_IMAGE="${ORCHESTRATOR_TEST_IMAGE:-orchestrator-test/busybox:1}"

docker_ok() { docker info >/dev/null 2>&1; }

ensure_docker() {
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
    apt_install docker.io
  fi
  if docker_ok; then
    return 0
  fi
  if [ -n "${DOCKER_HOST:-}" ]; then
    die "DOCKER_HOST=$DOCKER_HOST is set but no Docker engine answers there"
  fi
  is_root || die "no Docker engine answers on /var/run/docker.sock; start one (sudo dockerd) or run this script as root"
  say "starting dockerd (log: $WORK/dockerd.log)"
  nohup dockerd >"$WORK/dockerd.log" 2>&1 &
  wait_for "Docker engine" 60 docker info || die "dockerd did not start; see $WORK/dockerd.log"
}

# ensure_test_image: a busybox image built locally from Debian's busybox-static (no registry needed).
ensure_test_image() {
  if docker image inspect "$TEST_IMAGE" >/dev/null 2>&1; then
    return 0
  fi
  apt_install busybox-static
  local rootfs
  rootfs="$(mktemp -d)"
  mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc"
  cp /bin/busybox "$rootfs/bin/busybox"
  local applet
  for applet in $("$rootfs/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
  tar -C "$rootfs" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - "$TEST_IMAGE" >/dev/null \
    || die "could not import $TEST_IMAGE"
  rm -rf "$rootfs"
  say "built image $TEST_IMAGE from busybox-static"
}

# restart_docker: stops the engine this machine runs (its containers die with it) and starts it again.
restart_docker() {
  is_root || die "restarting the Docker engine needs root"
  pkill -TERM -x dockerd || true
  local deadline=$((SECONDS + 60))
  while pgrep -x dockerd >/dev/null; do
    [ $SECONDS -ge $deadline ] && die "dockerd did not stop"
    sleep 0.2
  done
  nohup dockerd >>"$WORK/dockerd.log" 2>&1 &
  wait_for "Docker engine (restarted)" 60 docker info || die "dockerd did not start again; see $WORK/dockerd.log"
}
