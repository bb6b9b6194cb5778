#!/usr/bin/env bash
# Starts the built distribution in a throwaway directory on the standard ports (loopback clients
# only), creates two users with bin/tongyou, and runs a stock XMPP client (slixmpp) against it.
# Needs: the distribution built (mvn package) and python3-slixmpp (installed here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
dist=$(ls -d dist/target/tongyou-*/ | sed -n 1p)
[ -x "$dist/bin/tongyou" ] || { echo "build the distribution first: mvn -B package" >&2; exit 2; }
if ! /usr/bin/python3 -c 'import slixmpp' 2>/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-slixmpp >/dev/null
fi
work=$(mktemp -d)
cp -r "$dist" "$work/tongyou"
home="$work/tongyou"
trap '"$home/bin/tongyou" stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$home/bin/tongyou" start
echo "romeo-secret" | "$home/bin/tongyou" user add romeo
echo "juliet-secret" | "$home/bin/tongyou" user add juliet
timeout 60 /usr/bin/python3 interop/stock_client_smoke.py 127.0.0.1 5222 localhost \
  "$home/data/tls/localhost.crt" romeo-secret juliet-secret
