#!/bin/bash
# Make a Docker engine + Compose usable on a Debian bookworm machine with no registry access
# (CI or a developer machine of this project): idempotent, as root, no terminal needed.
#   1. apt-get install docker.io docker-compose debootstrap (skipped when already installed);
#   2. start dockerd --iptables=false --storage-driver=vfs in the background (log:
#      /var/log/dockerd.log) unless `docker info` already answers; wait until it does;
#   3. if debian:bookworm-slim is missing, build it offline: debootstrap --variant=minbase from the
#      Debian mirror in /etc/apt/sources.list.d/debian.sources, then `docker import`.
# Env: DOCKER_WAIT_SECONDS (default 60), PGHA_BASE_IMAGE (default debian:bookworm-slim).
set -Eeuo pipefail
export DEBIAN_FRONTEND=noninteractive

WAIT=${DOCKER_WAIT_SECONDS:-60}
BASE_IMAGE=${PGHA_BASE_IMAGE:-debian:bookworm-slim}
LOG=/var/log/dockerd.log
T0=$(date +%s.%N)

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
say() { printf '[docker-setup +%ss] %s\n' "$(elapsed "$T0")" "$*"; }
die() { say "ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root"

# ---- 1. packages ------------------------------------------------------------------------------
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  t=$(date +%s.%N)
  say "installing ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  say "installed ${need[*]} in $(elapsed "$t") s"
else
  say "docker.io, docker-compose, debootstrap already installed"
fi
# A docker client may already be on PATH ahead of the packaged one; both talk to the same socket.
say "$(docker --version 2>&1 | head -1); $(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /')"

# ---- 2. engine --------------------------------------------------------------------------------
if docker info >/dev/null 2>&1; then
  say "Docker engine already answers"
else
  t=$(date +%s.%N)
  if pgrep -x dockerd >/dev/null 2>&1; then
    say "dockerd is running but does not answer yet; waiting"
  else
    say "starting dockerd --iptables=false --storage-driver=vfs (log: $LOG)"
    # containerd is started by dockerd itself when no system containerd runs.
    nohup dockerd --iptables=false --storage-driver=vfs >>"$LOG" 2>&1 </dev/null &
    disown || true
  fi
  deadline=$(($(date +%s) + WAIT))
  until docker info >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 30 "$LOG" >&2 || true
      die "the Docker engine did not answer within ${WAIT}s (see $LOG above)"
    fi
    sleep 1
  done
  say "Docker engine answers after $(elapsed "$t") s ($(docker info --format '{{.ServerVersion}} storage={{.Driver}}' 2>/dev/null))"
fi

# ---- 3. base image ----------------------------------------------------------------------------
if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  say "$BASE_IMAGE present"
else
  mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$mirror" ] || die "no Debian mirror found in /etc/apt/sources.list.d/debian.sources"
  dir=$(mktemp -d /var/tmp/pgha-rootfs.XXXXXX)
  trap 'rm -rf "$dir"' EXIT
  # mktemp makes the directory 0700 and it becomes the image's "/": non-root users (postgres,
  # prometheus) could then reach nothing. The root of a Debian system is 0755.
  chmod 0755 "$dir"
  t=$(date +%s.%N)
  say "$BASE_IMAGE missing: debootstrap --variant=minbase bookworm from $mirror"
  if ! debootstrap --variant=minbase bookworm "$dir" "$mirror" >/var/log/pgha-debootstrap.log 2>&1; then
    tail -n 30 /var/log/pgha-debootstrap.log >&2
    die "debootstrap failed (full log: /var/log/pgha-debootstrap.log)"
  fi
  say "debootstrap done in $(elapsed "$t") s"
  # Leaner and closer to the official image: no apt lists/caches, no man pages.
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/archives/*.deb "$dir"/usr/share/man/* "$dir"/usr/share/doc/*
  t=$(date +%s.%N)
  tar -C "$dir" -c . | docker import -c 'CMD ["bash"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$BASE_IMAGE" >/dev/null
  [ "$(docker run --rm --entrypoint stat "$BASE_IMAGE" -c %a /)" = 755 ] || die "imported $BASE_IMAGE has a wrong mode on /"
  say "imported $BASE_IMAGE in $(elapsed "$t") s ($(docker image inspect -f '{{.Size}}' "$BASE_IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
  rm -rf "$dir"
  trap - EXIT
fi
say "done"
