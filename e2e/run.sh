#!/usr/bin/env bash
# Copyright 2026 The newt Authors. All rights reserved.
# Use of this source code is governed by an Apache-2.0 license
# that can be found in the LICENSE file.
#
# End-to-end checks of a Matrix bot in real encrypted rooms: a Dendrite
# homeserver on 127.0.0.1, the example bot of the mautrix module
# (mautrix/example: mautrix-go's cryptohelper with a sqlite store, on newt), a
# mautrix-go client on goolm and matrix-js-sdk (Rust crypto) on the other
# side. Prints one line per check and "N passed, M failed"; exits
# non-zero on any failure.
#
# Usage: e2e/run.sh [harness flags, e.g. -run 'sas|backup' -v]
#
# Environment:
#   NEWT_E2E_CACHE  where the Dendrite build is cached (default
#                   ${XDG_CACHE_HOME:-~/.cache}/newt-e2e); it is reused only
#                   when the Go version and every module in its build match.
#   NEWT_E2E_KEEP   if set, keep the temporary directory (logs, databases).
#   NEWT_E2E_BOT_DRIVER  if set, fail unless the bot runs on this Olm driver
#                   (mautrix's olm.Driver, which the bot logs at start; CI
#                   sets "newt").
set -euo pipefail
cd "$(dirname "$0")"
e2e=$(pwd)

t0=$(date +%s)
elapsed() { echo "$(($(date +%s) - t0))s"; }
say() { printf '[e2e %s] %s\n' "$(elapsed)" "$*"; }

# --- what the build needs: cgo only for sqlite (system library), Node for js-sdk
need_apt=()
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need_apt+=(libsqlite3-dev)
command -v gcc >/dev/null 2>&1 || need_apt+=(gcc)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
	say "installing ${need_apt[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# --- Dendrite, built from the version pinned in go.mod; the build is cached
cache=${NEWT_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/newt-e2e}
dendrite_version=$(go list -m -f '{{.Version}}' github.com/matrix-org/dendrite)
hspkgs=(github.com/matrix-org/dendrite/cmd/dendrite github.com/matrix-org/dendrite/cmd/generate-keys)
# The stamp names everything the build depends on: the Go version, the tags,
# and every module version in Dendrite's build (as this go.mod resolves them).
deps=$(go list -deps -tags libsqlite3 -f '{{with .Module}}{{.Path}} {{.Version}}{{end}}' "${hspkgs[@]}" | sort -u | sha256sum | cut -c1-16)
stamp="dendrite $dendrite_version; $(go version); tags libsqlite3; modules $deps"
hsbin="$cache/dendrite-$dendrite_version"
if [ -f "$hsbin/stamp" ] && [ "$(cat "$hsbin/stamp")" = "$stamp" ] &&
	go version -m "$hsbin/dendrite" 2>/dev/null | grep -q "mod	github.com/matrix-org/dendrite	$dendrite_version	"; then
	say "Dendrite $dendrite_version: cached build in $hsbin"
else
	say "building Dendrite $dendrite_version (cache: $hsbin)"
	rm -rf "$hsbin"
	mkdir -p "$hsbin"
	go build -tags libsqlite3 -trimpath -o "$hsbin/" "${hspkgs[@]}"
	echo "$stamp" >"$hsbin/stamp"
	say "Dendrite built"
fi

# --- the bot (the mautrix module's example, on newt) and the harness (its
# mautrix-go client on goolm). The goolm tag keeps libolm out of both; the
# bot's blank import of newt's backend replaces goolm in the bot. cgo is for
# sqlite only.
bin="$e2e/.bin"
mkdir -p "$bin"
say "building the bot (mautrix/example) and the harness"
(cd ../mautrix && go build -tags goolm,libsqlite3 -trimpath -o "$bin/bot" ./example)
go build -tags goolm,libsqlite3 -trimpath -o "$bin/" ./cmd/harness
say "built"

# --- matrix-js-sdk from npm, exact versions from package-lock.json
if ! (cd js && npm ls --silent >/dev/null 2>&1); then
	say "installing matrix-js-sdk (npm ci)"
	(cd js && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- a homeserver of our own in a temporary directory
work=$(mktemp -d -t newt-e2e.XXXXXX)
pidfile="$work/dendrite.pid"
cleanup() {
	rc=$?
	if [ -s "$pidfile" ]; then
		pid=$(cat "$pidfile")
		if kill -0 "$pid" 2>/dev/null; then
			kill "$pid" 2>/dev/null || true
			for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
			kill -9 "$pid" 2>/dev/null || true
		fi
	fi
	if [ -n "${NEWT_E2E_KEEP:-}" ] || [ "$rc" -ne 0 ]; then
		say "logs and databases kept in $work"
	else
		rm -rf "$work"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$("$bin/harness" -free-port)
secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$hsbin/generate-keys" --private-key "$work/matrix_key.pem" >/dev/null
mkdir -p "$work/hs"
db() { echo "file:$work/hs/$1.db"; }
cat >"$work/dendrite.yaml" <<EOF
version: 2
global:
  server_name: localhost
  private_key: $work/matrix_key.pem
  disable_federation: true
  key_validity_period: 168h0m0s
  trusted_third_party_id_servers: []
  presence: {enable_inbound: false, enable_outbound: false}
  report_stats: {enabled: false}
  jetstream: {storage_path: $work/hs/jetstream, in_memory: false, addresses: []}
  dns_cache: {enabled: false}
client_api:
  registration_disabled: true
  registration_shared_secret: "$secret"
  guests_disabled: true
  rate_limiting: {enabled: false}
federation_api:
  database: {connection_string: $(db federationapi)}
  key_perspectives: []
  send_max_retries: 1
key_server:
  database: {connection_string: $(db keyserver)}
media_api:
  database: {connection_string: $(db mediaapi)}
  base_path: $work/hs/media
mscs:
  database: {connection_string: $(db mscs)}
  mscs: []
relay_api:
  database: {connection_string: $(db relayapi)}
room_server:
  database: {connection_string: $(db roomserver)}
sync_api:
  database: {connection_string: $(db syncapi)}
  search: {enabled: false, index_path: $work/hs/searchindex, language: en}
user_api:
  account_database: {connection_string: $(db userapi)}
  bcrypt_cost: 4
logging:
  - {type: file, level: info, params: {path: $work/hs/log}}
EOF
hsurl="http://127.0.0.1:$port"
hscmd=("$hsbin/dendrite" -config "$work/dendrite.yaml" -http-bind-address "127.0.0.1:$port")
say "starting Dendrite on $hsurl"
(cd "$work/hs" && exec "${hscmd[@]}" >>"$work/dendrite.out" 2>&1) &
echo $! >"$pidfile"
ready=""
for _ in $(seq 120); do
	if curl -fsS "$hsurl/_matrix/client/versions" >/dev/null 2>&1; then ready=1; break; fi
	kill -0 "$(cat "$pidfile")" 2>/dev/null || break
	sleep 0.5
done
if [ -z "$ready" ]; then
	say "Dendrite did not answer within 60 s; its output:"
	tail -n 40 "$work/dendrite.out" || true
	exit 1
fi
say "Dendrite answers"

"$bin/harness" \
	-homeserver "$hsurl" \
	-shared-secret "$secret" \
	-work "$work" \
	-bot "$bin/bot" \
	-js "$e2e/js/client.mjs" \
	-dendrite-pidfile "$pidfile" \
	-dendrite-dir "$work/hs" \
	-dendrite-log "$work/dendrite.out" \
	${NEWT_E2E_BOT_DRIVER:+-bot-driver "$NEWT_E2E_BOT_DRIVER"} \
	"$@" -- "${hscmd[@]}" </dev/null
say "done"
