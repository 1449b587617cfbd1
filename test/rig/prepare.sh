#!/usr/bin/env bash
# Prepares the machine-level parts of the test rig, idempotently (docs/test-rig.md, "Facts measured on these machines"):
#   1. the Debian packages the real smart-card / broker stack needs,
#   2. the optional `pcsclite` binding, rebuilt once its headers exist,
#   3. the loopback quickack route (vpcd writes length and payload separately, so
#      delayed ACK on loopback costs ~48 ms per APDU without it).
# Long-running daemons (pcscd, Mosquitto) and SoftHSM token dirs are started and
# stopped per run by test/rig/global-setup.ts, so the run stops what it started.
set -euo pipefail
cd "$(dirname "$0")/../.."

# systemd: only its systemd-analyze, to verify the agent's unit file (examples/systemd).
# chromium: the web console's browser tests drive Debian's build through playwright-core
# (executablePath /usr/bin/chromium; nothing is downloaded at test time).
packages=(pcscd libpcsclite-dev vsmartcard-vpcd softhsm2 opensc pcsc-tools mosquitto iproute2 gcc libssl-dev systemd chromium fonts-dejavu-core)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "rig: missing Debian packages: ${missing[*]} — run as root, or: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "rig: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# pcsclite is an optionalDependency: `npm ci` on a machine without the PC/SC headers
# drops it. Now that the headers exist, bring it back from the lockfile.
if ! (cd edge-agent && node -e "require('pcsclite')" >/dev/null 2>&1); then
  echo "rig: building the pcsclite binding against the lockfile"
  npm install --no-audit --no-fund --ignore-scripts=false >/dev/null
  (cd edge-agent && node -e "require('pcsclite')") || {
    echo "rig: pcsclite still not loadable after npm install" >&2
    exit 1
  }
fi

# Loopback quickack (root only; without root the benchmarks would measure TCP timers).
if [ "$(id -u)" -eq 0 ]; then
  if ! ip route show table local | grep -q '^local 127.0.0.1 .*quickack 1'; then
    ip route change local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 table local quickack 1
  fi
else
  ip route show table local | grep -q '^local 127.0.0.1 .*quickack 1' || {
    echo "rig: loopback quickack route missing and not root: run as root (ip route change ... quickack 1)" >&2
    exit 1
  }
fi
echo "rig: machine ready"
