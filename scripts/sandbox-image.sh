#!/usr/bin/env bash
# Builds the sandbox image (default aegis-sandbox:local) offline: busybox-static for the shell
# tools, plus the host's git and file with exactly the libraries they load, nobody (65534) in
# /etc/passwd, /tmp 1777, an empty /workspace and /etc/aegis (where the executor binds git's
# settings), imported with `docker import`. Skips the build when the image exists and carries
# this script's sha256. Usage: scripts/sandbox-image.sh [IMAGE]
set -euo pipefail

IMAGE="${1:-${SANDBOX_IMAGE:-aegis-sandbox:local}}"
SCRIPT="$(readlink -f "$0")"
SHA="$(sha256sum "$SCRIPT" | cut -d' ' -f1)"
LABEL="aegis.sandbox.script-sha256"

if [ "$(docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$IMAGE" 2>/dev/null || true)" = "$SHA" ]; then
  echo "$IMAGE is current (script sha256 ${SHA:0:12})"
  exit 0
fi

# The image has no libc of its own for busybox: it must be the static build.
BUSYBOX="$(command -v busybox || true)"
if [ -z "$BUSYBOX" ] || ldd "$BUSYBOX" >/dev/null 2>&1; then
  echo "a statically linked busybox is needed (Debian: apt-get install busybox-static)" >&2
  exit 1
fi

ROOTFS="$(mktemp -d /tmp/aegis-sandbox-rootfs.XXXXXX)"
trap 'rm -rf "$ROOTFS"' EXIT
chmod 0755 "$ROOTFS"
mkdir -p "$ROOTFS"/{bin,etc,tmp,workspace,proc,sys,dev,usr/bin,usr/lib,usr/share/misc}
chmod 1777 "$ROOTFS/tmp"
chmod 0755 "$ROOTFS/workspace"

cp "$BUSYBOX" "$ROOTFS/bin/busybox"
for applet in $("$ROOTFS/bin/busybox" --list); do
  [ -e "$ROOTFS/bin/$applet" ] || ln -s busybox "$ROOTFS/bin/$applet"
done

# A dynamically linked host binary and every library the loader resolves for it, at the same paths.
copy_with_libraries() {
  local binary="$1" library
  install -D -m 0755 "$binary" "$ROOTFS$binary"
  for library in $(ldd "$binary" | grep -o '/[^ ]*'); do
    [ -e "$ROOTFS$library" ] || install -D -m 0755 "$(readlink -f "$library")" "$ROOTFS$library"
  done
}

if command -v git >/dev/null; then
  GIT="$(readlink -f "$(command -v git)")"
  copy_with_libraries "$GIT"
  [ "$GIT" = /usr/bin/git ] || ln -sf "$GIT" "$ROOTFS/usr/bin/git"
  # Builtins (upload-pack for a local pull, …) are the git binary under another name.
  EXEC_PATH="$(git --exec-path)"
  mkdir -p "$ROOTFS$EXEC_PATH"
  for builtin in $(git --list-cmds=builtins); do ln -sf "$GIT" "$ROOTFS$EXEC_PATH/git-$builtin"; done
fi

if command -v file >/dev/null; then
  copy_with_libraries "$(readlink -f "$(command -v file)")"
  MAGIC="$(readlink -f /usr/share/misc/magic.mgc 2>/dev/null || true)"
  if [ -f "$MAGIC" ]; then
    install -D -m 0644 "$MAGIC" "$ROOTFS$MAGIC"
    [ "$MAGIC" = /usr/share/misc/magic.mgc ] || ln -sf "$MAGIC" "$ROOTFS/usr/share/misc/magic.mgc"
  fi
fi

cat >"$ROOTFS/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/false
nobody:x:65534:65534:nobody:/tmp:/bin/false
EOF
cat >"$ROOTFS/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
echo 'aegis-sandbox' >"$ROOTFS/etc/hostname"
# No /etc/gitconfig: git reads only the executor's settings, bound at /etc/aegis/gitconfig (docs/sandbox.md "Git").
mkdir -p "$ROOTFS/etc/aegis"

tar --numeric-owner --owner=0 --group=0 -C "$ROOTFS" -c . |
  docker import \
    --change "LABEL $LABEL=$SHA" \
    --change 'WORKDIR /workspace' \
    --change 'USER 65534:65534' \
    --change 'CMD ["/bin/sleep", "2147483647"]' \
    - "$IMAGE" >/dev/null
echo "built $IMAGE ($(du -sh "$ROOTFS" | cut -f1), script sha256 ${SHA:0:12})"
