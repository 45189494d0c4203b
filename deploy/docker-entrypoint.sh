#!/bin/sh
# The image's entrypoint. Started as 'node' it runs the command as it is. Started as root with CAP_SYS_ADMIN, SETUID,
# SETGID and SETPCAP (docker-compose.prod.yml) it first gives bubblewrap what it needs inside a container, then runs the
# command as 'node' with no capabilities left at all (docs/deploy.md "The sandbox in the container").
set -eu
if [ "$(id -u)" = 0 ]; then
  # A user namespace may mount a new /proc only where a fully visible one exists, and Docker masks parts of /proc:
  # this one shows process folders only, and only the caller's own.
  # bwrap --disable-userns writes max_user_namespaces of the sandbox's own user namespace; Docker mounts /proc/sys
  # read-only. Only root may write the rest of /proc/sys, and nothing below becomes root again.
  # Without them (an AppArmor profile that forbids mounts, a missing capability) the server still starts and
  # reports the bwrap sandbox unavailable, with the reason, in /api/health.
  if ! mount -t proc -o subset=pid,hidepid=invisible proc /run/aegis/proc || ! mount -o remount,bind,rw /proc/sys; then
    echo 'aegis-entrypoint: the mounts bubblewrap needs failed, the sandbox will be unavailable (docs/deploy.md)' >&2
  fi
  exec setpriv --reuid=node --regid=node --init-groups --inh-caps=-all --bounding-set=-all --no-new-privs "$@"
fi
exec "$@"
