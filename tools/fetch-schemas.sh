#!/usr/bin/env bash
# Fetches the official OCPP JSON schemas (OCPP 1.6, 2.0.1, 2.1) from the npm package ocpp-rpc@2.2.1,
# verifies the tarball checksum and copies the three schema bundles byte for byte into schemas/.
# Usage: tools/fetch-schemas.sh   (from anywhere; needs npm, sha1sum, tar)
set -euo pipefail

PACKAGE="ocpp-rpc@2.2.1"
EXPECTED_SHA1="f938ef5954c51c3c427faede61bf0b794cf483a5"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack "$PACKAGE" --silent >/dev/null
tarball="$(ls ./*.tgz)"
actual_sha1="$(sha1sum "$tarball" | cut -d' ' -f1)"
if [[ "$actual_sha1" != "$EXPECTED_SHA1" ]]; then
  echo "fetch-schemas: SHA-1 MISMATCH for $PACKAGE" >&2
  echo "  expected $EXPECTED_SHA1" >&2
  echo "  actual   $actual_sha1" >&2
  exit 1
fi
tar -xzf "$tarball"

copy() {
  local from="package/lib/schemas/$1" to="$repo_root/schemas/$2"
  if [[ ! -f "$from" ]]; then
    echo "fetch-schemas: $from missing from $PACKAGE" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$to")"
  cp "$from" "$to"
  echo "fetch-schemas: $1 -> schemas/$2 ($(sha1sum "$to" | cut -d' ' -f1))"
}

copy ocpp1_6.json v16/ocpp1_6.json
copy ocpp2_0_1.json v201/ocpp2_0_1.json
copy ocpp2_1.json v21/ocpp2_1.json
echo "fetch-schemas: ok ($PACKAGE, tarball sha1 $actual_sha1)"
