#!/usr/bin/env bash
# The XMPP interop suite: Smack's integration tests (smack-integration-test 4.5.0-beta5) against the
# built distribution, started in a throwaway directory on the standard ports (5222, loopback
# clients only). Accounts are created through XEP-0133 by an administrator, as the framework does;
# set INTEROP_REGISTRATION=inBandRegistration to use XEP-0077 in open mode instead.
# Prints passed, failed and skipped counts; exits non-zero on any failure.
# INTEROP_ONLY='MultiUserChat.*' runs only the classes whose simple name matches; INTEROP_DEBUGGER=console
# prints every stanza.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=$(ls -d dist/target/tongyou-*/ | sed -n 1p)
[ -x "$dist/bin/tongyou" ] || { echo "build the distribution first: mvn -B package" >&2; exit 2; }
registration=${INTEROP_REGISTRATION:-serviceAdministration}
# The low-level tests also try XMPP over WebSocket (RFC 7395), which the server does not offer yet.
websocket=modular-websocket-okhttp,modular-websocket-java11

mvn -B -q -ntp -f interop/pom.xml package -DskipTests
mvn -B -q -ntp -f interop/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
classpath="interop/target/tongyou-interop-0.1.0-SNAPSHOT.jar:$(cat interop/target/classpath.txt)"

work=$(mktemp -d)
cp -r "$dist" "$work/tongyou"
home="$work/tongyou"
trap '"$home/bin/tongyou" stop >/dev/null 2>&1 || true; cp "$home/logs/tongyou.log" interop/target/server.log 2>/dev/null || true; rm -rf "$work"' EXIT
settings=(--set server.admin-jids=admin@localhost)
if [ "$registration" = inBandRegistration ]; then
  settings+=(--set plugins.register.mode=open)
fi
"$home/bin/tongyou" start "${settings[@]}"
echo "interop-admin-secret" | "$home/bin/tongyou" user add admin "${settings[@]}"
accounts=""
if [ "$registration" = disabled ]; then
  for i in 1 2 3; do
    echo "interop-secret-$i" | "$home/bin/tongyou" user add "interop$i" "${settings[@]}"
  done
  accounts="interop1:interop-secret-1,interop2:interop-secret-2,interop3:interop-secret-3"
fi
# Trust exactly the server's generated certificate (Smack verifies it and the host name).
keytool -importcert -noprompt -alias tongyou -file "$home/data/tls/localhost.crt" \
  -keystore "$work/truststore.p12" -storetype PKCS12 -storepass interop >/dev/null

java -Djavax.net.ssl.trustStore="$work/truststore.p12" -Djavax.net.ssl.trustStorePassword=interop \
  -Djavax.net.ssl.trustStoreType=PKCS12 \
  -Dinterop.service=localhost -Dinterop.registration="$registration" \
  -Dinterop.admin=admin -Dinterop.adminPassword=interop-admin-secret -Dinterop.accounts="$accounts" \
  -Dinterop.disabled=interop/disabled-tests.txt -Dinterop.disabledConnections="${INTEROP_DISABLED_CONNECTIONS-$websocket}" \
  -Dinterop.attempts="${INTEROP_ATTEMPTS:-3}" -Dinterop.only="${INTEROP_ONLY:-}" -Dinterop.debugger="${INTEROP_DEBUGGER:-}" -cp "$classpath" im.tongyou.interop.InteropRunner \
  | tee interop/target/interop-results.txt
