#!/usr/bin/env bash
# Copyright 2026 The newt Authors. All rights reserved.
# Use of this source code is governed by an Apache-2.0 license
# that can be found in the LICENSE file.
#
# mautrix-tests.sh runs mautrix-go's own crypto tests, unmodified, on newt:
# the packages ./crypto/ and ./crypto/verificationhelper/ of the mautrix
# version this module requires (v0.33.0: 15 + 19 tests).
#
# It copies the mautrix module out of the Go module cache into a temporary
# directory, deletes crypto/registergoolm.go and crypto/registerlibolm.go
# (which register goolm or libolm), adds one file to package crypto whose
# init calls backend.Register, points go.mod at this checkout of newt and of
# its mautrix module, and runs `go test`. Nothing else changes: the tests and
# mautrix's code are the released ones.
#
# The store tests use github.com/mattn/go-sqlite3 (cgo); the build tag
# libsqlite3 links the system's SQLite (Debian: libsqlite3-dev), which builds
# much faster than the bundled copy. Builds use -trimpath, so that the build
# cache is reused across runs although the directory changes.
#
# Usage: scripts/mautrix-tests.sh [extra go test flags]
# Environment: MAUTRIX_TESTS_EXPECT (default 34): the number of tests that
# must run and pass; KEEP=1 keeps the temporary copy.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd) # the nested module github.com/newt-e2ee/newt/mautrix
root=$(cd "$here/.." && pwd)           # newt
expect=${MAUTRIX_TESTS_EXPECT:-34}
pkgs=(./crypto/ ./crypto/verificationhelper/)

cd "$here"
go mod download maunium.net/go/mautrix
version=$(go list -m -f '{{.Version}}' maunium.net/go/mautrix)
src=$(go list -m -f '{{.Dir}}' maunium.net/go/mautrix)

work=$(mktemp -d)
if [ "${KEEP:-}" != 1 ]; then trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT; fi
cp -R "$src" "$work/mautrix"
chmod -R u+w "$work/mautrix"
cd "$work/mautrix"

rm crypto/registergoolm.go crypto/registerlibolm.go
cat > crypto/registernewt.go <<'GO'
package crypto

import "github.com/newt-e2ee/newt/mautrix/backend"

func init() {
	backend.Register()
}
GO
# mautrix's go.mod names a newer toolchain; the tests run with the one
# installed here (go 1.26 is what mautrix requires).
go mod edit -toolchain=none
go mod edit \
	-require=github.com/newt-e2ee/newt@v0.0.0 \
	-require=github.com/newt-e2ee/newt/mautrix@v0.0.0 \
	-replace=github.com/newt-e2ee/newt="$root" \
	-replace=github.com/newt-e2ee/newt/mautrix="$here"
# Record the checksums of what the tests need (from the module cache or the
# module proxy), and nothing more.
GOFLAGS=-mod=mod go list -test -deps -tags libsqlite3 "${pkgs[@]}" >/dev/null

echo "mautrix $version, crypto tests on newt ($work/mautrix)"
listed=$(go test -tags libsqlite3 -trimpath -list '^Test' "${pkgs[@]}" | grep -c '^Test' || true)
log="$work/test.log"
status=0
go test -tags libsqlite3 -trimpath -count=1 -v "$@" "${pkgs[@]}" >"$log" 2>&1 || status=$?
grep -E '^(ok|FAIL|---|panic)' "$log" | grep -v '^    ' || true
passed=$(grep -c '^--- PASS: Test' "$log" || true)
failed=$(grep -c '^--- FAIL: Test' "$log" || true)
skipped=$(grep -c '^--- SKIP: Test' "$log" || true)
echo "mautrix $version crypto tests on newt: $passed/$listed passed, $failed failed, $skipped skipped"
if [ "$status" != 0 ] || [ "$failed" != 0 ] || [ "$passed" != "$listed" ] || [ "$listed" != "$expect" ]; then
	[ "$status" != 0 ] && tail -n 100 "$log"
	echo "expected $expect/$expect" >&2
	exit 1
fi
