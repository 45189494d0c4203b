#!/usr/bin/env bash
# What CI checks of a deployment (docs/deploy.md "The CI smoke run"): builds the stand-in base images, builds the real
# Dockerfile on them, starts the real docker-compose.prod.yml with a throw-away env file (random secrets), waits until
# it is ready, mints an API key, runs the smoke client (JUnit file written) expecting exit 0, then with a wrong key
# expecting exit 1 and a readable reason. The stack is always torn down (down -v). Needs docker and docker-compose 1.29
# or Compose v2, and Node 24; builds the smoke client when dist/apps/smoke is missing, and removes the image it built.
# Usage: scripts/compose-smoke.sh [JUNIT_FILE]      (default dist/test-results/compose-smoke.xml)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

JUNIT="$(realpath -m "${1:-dist/test-results/compose-smoke.xml}")"
SMOKE_CLI="$ROOT/dist/apps/smoke/main.js"
PROJECT="aegis-smoke-$$"
COMPOSE_FILE="$ROOT/docker-compose.prod.yml"
READY_TIMEOUT_S=300
export AEGIS_IMAGE="aegis:smoke"
# npm inside the build trusts the certificates added to this machine (a TLS-inspecting proxy's, when there is one):
# Debian's local additions, else NODE_EXTRA_CA_CERTS when it is small enough for a build argument (not a whole bundle).
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  AEGIS_EXTRA_CA_CERTS="$(cat /usr/local/share/ca-certificates/*.crt)"
  export AEGIS_EXTRA_CA_CERTS
elif [ -f "${NODE_EXTRA_CA_CERTS:-}" ] && [ "$(stat -c %s "$NODE_EXTRA_CA_CERTS")" -lt 65536 ]; then
  AEGIS_EXTRA_CA_CERTS="$(cat "$NODE_EXTRA_CA_CERTS")"
  export AEGIS_EXTRA_CA_CERTS
fi

if docker compose version >/dev/null 2>&1; then COMPOSE=(docker compose); else COMPOSE=(docker-compose); fi
STARTED=$(date +%s)
STEP_STARTED=""
# Prints how long the previous step took, then the new step's title.
step() {
  local now
  now=$(date +%s)
  [ -z "$STEP_STARTED" ] || printf '   (%ss)\n' "$((now - STEP_STARTED))"
  STEP_STARTED=$now
  [ -z "$*" ] || printf '\n── %s\n' "$*"
}
fail() {
  printf '\n✖ %s\n' "$*" >&2
  exit 1
}

if [ ! -f "$SMOKE_CLI" ]; then
  [ -f apps/smoke/project.json ] || fail "the smoke client (apps/smoke) is missing: it is what this script runs against the stack"
  step "Building the smoke client"
  NX_DAEMON=false NX_NO_CLOUD=true npx nx run smoke:build --output-style=static
fi

WORK="$(mktemp -d /tmp/aegis-compose-smoke.XXXXXX)"
ENV_FILE="$WORK/env"
compose() { "${COMPOSE[@]}" --project-name "$PROJECT" --env-file "$ENV_FILE" -f "$COMPOSE_FILE" "$@"; }
UP=false
teardown() {
  local status=$?
  step
  if [ "$UP" = true ]; then
    if [ "$status" -ne 0 ]; then
      printf '\n── Logs of the failed run\n'
      compose ps || true
      compose logs --no-color --tail=80 || true
    fi
    printf '\n── Tearing the stack down\n'
    compose down -v --remove-orphans >/dev/null 2>&1 || compose down -v --remove-orphans || true
    step
  fi
  # The image is rebuilt by every run (the build context changes with every commit) and holds gigabytes on vfs.
  docker rmi "$AEGIS_IMAGE" >/dev/null 2>&1 || true
  rm -rf "$WORK"
  printf '\ncompose smoke: %s in %ss\n' "$([ "$status" -eq 0 ] && echo passed || echo FAILED)" "$(($(date +%s) - STARTED))"
}
trap teardown EXIT

step "Stand-in base images"
scripts/standin-images.sh

step "Throw-away configuration"
random() { node -e "process.stdout.write(require('node:crypto').randomBytes($1).toString('hex'))"; }
# GET a URL: prints the body; fails when it cannot be reached or, unless the second argument is 'any', is not 200.
get() {
  node -e "fetch(process.argv[1]).then(async (r) => { process.stdout.write(await r.text()); process.exit(r.ok || process.argv[2] === 'any' ? 0 : 1); }, () => process.exit(1))" "$1" "${2:-}"
}
PORT="$(node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); })")"
ADMIN_PASSWORD="$(random 16)"
{
  grep -v -E '^(AEGIS_[A-Z_]+|POSTGRES_PASSWORD|REDIS_PASSWORD|JWT_SECRET|ADMIN_PASSWORD|METRICS_TOKEN)=' .env.example
  echo "AEGIS_ENV_FILE=$ENV_FILE"
  echo "AEGIS_IMAGE=$AEGIS_IMAGE"
  echo "AEGIS_PORT=$PORT"
  echo "AEGIS_NODE_IMAGE=aegis-standin/node:24"
  echo "AEGIS_POSTGRES_IMAGE=aegis-standin/postgres:15"
  echo "AEGIS_REDIS_IMAGE=aegis-standin/redis:7"
  echo "AEGIS_PROXY_IMAGE=aegis-standin/nginx:1"
  echo "AEGIS_VERSION=$(node -p "require('./package.json').version")"
  echo "AEGIS_REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "POSTGRES_PASSWORD=$(random 16)"
  echo "REDIS_PASSWORD=$(random 16)"
  echo "JWT_SECRET=$(random 32)"
  echo "ADMIN_PASSWORD=$ADMIN_PASSWORD"
  echo "METRICS_TOKEN=$(random 16)"
} >"$ENV_FILE"
echo "project $PROJECT, port $PORT, ${COMPOSE[*]}"

step "Building the image (Dockerfile on the stand-in node:24)"
compose build api-1
# The build stage's image is left dangling; it carries the stand-in's label, which nothing else here does.
docker image prune -f --filter "label=aegis.standin.script-sha256" --filter dangling=true >/dev/null

step "Starting docker-compose.prod.yml"
UP=true
timeout "$READY_TIMEOUT_S" "${COMPOSE[@]}" --project-name "$PROJECT" --env-file "$ENV_FILE" -f "$COMPOSE_FILE" up -d ||
  fail "the stack did not start within ${READY_TIMEOUT_S}s"

step "Waiting until it is ready"
URL="http://127.0.0.1:$PORT"
for attempt in $(seq 1 "$READY_TIMEOUT_S"); do
  if get "$URL/api/health/ready" >/dev/null; then break; fi
  [ "$attempt" -lt "$READY_TIMEOUT_S" ] || fail "$URL/api/health/ready did not answer 200 within ${READY_TIMEOUT_S}s"
  sleep 1
done
get "$URL/api/health/ready"
echo

step "The sandbox inside the API container: bubblewrap"
# /api/health may answer 503 (no LLM vendor reachable); its sandbox entry is what counts.
SANDBOX="$(get "$URL/api/health" any | node -e "
  let text = '';
  process.stdin.on('data', (chunk) => (text += chunk)).on('end', () => {
    const sandbox = JSON.parse(text).details?.sandbox ?? {};
    process.stdout.write(JSON.stringify(sandbox));
    process.exit(sandbox.status === 'up' && sandbox.driver === 'bwrap' ? 0 : 1);
  });")" || fail "the bwrap sandbox is not usable in the API container: $SANDBOX"
echo "$SANDBOX"

step "Minting an API key (admin sign-in)"
API_KEY="$(ADMIN_PASSWORD="$ADMIN_PASSWORD" node scripts/mint-api-key.mjs "$URL")"
echo "key ${API_KEY:0:12}…"

# The smoke client's output, indented: its summary line ('5 passed, 0 failed') is not taken for the test suite's.
smoke() {
  set +e
  SMOKE_OUTPUT="$(node "$SMOKE_CLI" --url "$URL" --no-color "$@" 2>&1)"
  SMOKE_STATUS=$?
  set -e
  sed 's/^/  smoke │ /' <<<"$SMOKE_OUTPUT"
}

step "Smoke client with the key: expecting exit 0"
mkdir -p "$(dirname "$JUNIT")"
# The key from the environment (not visible in ps); the admin's sign-in lets the approval check reject its request.
AEGIS_API_KEY="$API_KEY" AEGIS_ADMIN_USERNAME=admin AEGIS_ADMIN_PASSWORD="$ADMIN_PASSWORD" smoke --junit "$JUNIT"
[ "$SMOKE_STATUS" -eq 0 ] || fail "the smoke client failed against the stack (exit $SMOKE_STATUS)"
[ -s "$JUNIT" ] || fail "the smoke client wrote no JUnit file at $JUNIT"
echo "JUnit: $JUNIT"

step "Smoke client with a wrong key: expecting exit 1 and the reason"
smoke --api-key "aegis_wrong_$(random 16)"
[ "$SMOKE_STATUS" -eq 1 ] || fail "with a wrong key the smoke client exited $SMOKE_STATUS, not 1"
grep -qiE '401|unauthori[sz]ed|api key|invalid' <<<"$SMOKE_OUTPUT" || fail "with a wrong key the smoke client gave no readable reason"
