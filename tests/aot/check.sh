#!/usr/bin/env bash
# Native AOT as a checked promise: publishes a charge point (OcppClient, typed 1.6 + 2.0.1) and a CSMS (standalone
# OcppServer with strict mode) with PublishAot=true, fails on any trim/AOT warning from our assemblies, runs them
# against each other over loopback and checks the boots, both strict-mode refusals and the transaction messages of the
# station whose queue is a SQLite file (Ocpp.Rpc.Sqlite, native e_sqlite3 next to the binary). Prints sizes and timings.
# Needs clang (or gcc) and zlib's headers for the native link: .ci/run installs them.
set -euo pipefail
cd "$(dirname "$0")"
out=$(mktemp -d)
trap 'rm -rf "$out"; [ -n "${csms_pid:-}" ] && kill "$csms_pid" 2>/dev/null || true' EXIT

status=0
for app in AotCsms AotChargePoint; do
  echo "== publish $app (PublishAot=true)"
  log="$out/$app.log"
  if ! dotnet publish "$app/$app.csproj" -c Release -r linux-x64 -o "$out/$app" -nologo -v q -p:TreatWarningsAsErrors=false >"$log" 2>&1; then
    cat "$log"; echo "AOT publish of $app failed"; exit 1
  fi
  # Trim and AOT analysis warnings (ILxxxx). Ours fail the check; a dependency's are listed.
  warnings=$(grep -E "warning IL[0-9]{4}" "$log" | sort -u || true)
  if [ -n "$warnings" ]; then
    echo "$warnings"
    if echo "$warnings" | grep -q "Ocpp\.Rpc"; then
      echo "AOT/trim warnings from Ocpp.Rpc assemblies in $app"; status=1
    fi
  fi
  echo "   $app: $(du -m "$out/$app/$app" | cut -f1) MiB ($(stat -c %s "$out/$app/$app") bytes), $(echo "$warnings" | grep -c IL || true) IL warnings"
done
[ "$status" -eq 0 ] || exit "$status"

echo "== run: CSMS and charge point, both native, over loopback"
coproc CSMS { exec "$out/AotCsms/AotCsms"; }
csms_pid=$CSMS_PID
csms_out=${CSMS[0]}
if ! read -r -t 30 ready <&"$csms_out"; then echo "the AOT CSMS did not start"; exit 1; fi
echo "   CSMS: $ready (port, ms from process start to listening with all schemas compiled)"
port=$(echo "$ready" | cut -d' ' -f2)
if ! timeout 60 "$out/AotChargePoint/AotChargePoint" "ws://127.0.0.1:$port/ocpp" | sed 's/^/   charge point: /'; then
  echo "the AOT charge point failed"; exit 1
fi
exec {CSMS[1]}>&-
summary=$(timeout 30 cat <&"$csms_out" || true)
wait "$csms_pid" || true
csms_pid=
echo "   CSMS: $summary"
if [ "$summary" != "boots 3 rejected 2 transactions 2" ]; then
  echo "expected 'boots 3 rejected 2 transactions 2' from the CSMS"; exit 1
fi
echo "AOT check passed"
