#!/usr/bin/env bash
# The one test command (README, .ci/run). Installs and starts what the suites need when missing,
# runs lint, type-check and every vitest suite, and ends with a plain `N passed, N failed` line.
set -uo pipefail
cd "$(dirname "$0")/.."

log() { printf '[test.sh] %s\n' "$*" >&2; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq >/dev/null 2>&1 || true; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log 'installing npm packages (npm ci)'
  npm ci --no-audit --no-fund >/dev/null 2>&1 || npm install --no-audit --no-fund >/dev/null 2>&1
fi

# Redis for *.redis.test.ts: use the one on 127.0.0.1:6379, or start one.
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  command -v redis-server >/dev/null || { log 'installing redis-server'; apt_install redis-server; }
  log 'starting redis-server on 127.0.0.1:6379'
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no >/dev/null
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && break; sleep 0.1; done
fi

# Chromium for *.browser.test.ts (Debian's build; playwright-core drives it).
if compgen -G 'test/**/*.browser.test.ts' >/dev/null || ls test/*/*.browser.test.ts >/dev/null 2>&1; then
  if [ -z "${CHROMIUM_PATH:-}" ]; then
    command -v chromium >/dev/null || { log 'installing chromium'; apt_install chromium; }
    export CHROMIUM_PATH="$(command -v chromium || true)"
  fi
fi

passed=0
failed=0
check() {
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); log "$name: ok"; else failed=$((failed + 1)); log "$name: FAILED"; fi
}
check 'lint (biome)' npx biome check .
check 'typecheck (tsc)' npx tsc --noEmit
# The package as users get it: built to dist/ and imported by name from plain Node.
check 'package build and smoke (plain node)' bash -c 'node scripts/build.mjs && node scripts/smoke-package.mjs'

mkdir -p test-results
rm -f test-results/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
vitest_rc=$?
if [ -f test-results/vitest.json ]; then
  read -r vp vf < <(node -e '
    const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
    // A file that failed to load counts as a failure even though it has no tests.
    const broken = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + broken);')
  passed=$((passed + vp))
  failed=$((failed + vf))
  if [ "$vitest_rc" != 0 ] && [ "$vf" = 0 ]; then failed=$((failed + 1)); fi
else
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
