#!/bin/sh
# Installs what flowprep needs on Debian 12 (run as root).
#   packaging/install-deps-debian.sh          build dependencies
#   packaging/install-deps-debian.sh --test   also the test tools: Node.js and
#                                             the npm packages of tests/interop
#                                             (DuckDB and arrow-rs readers), and
#                                             python3-dpkt (tests/features: the
#                                             independent cic reference), kcat
#                                             and kafkajs (tests/kafka)
#   packaging/install-deps-debian.sh --bench  also softflowd, the peer flow
#                                             meter `make bench` measures
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)

build_packages="build-essential autoconf automake pkg-config libpcap-dev libzstd-dev libsnappy-dev zlib1g-dev liblzma-dev liblz4-dev libbrotli-dev \
	libyaml-dev libevent-dev libsystemd-dev librdkafka-dev"

missing=""
for p in $build_packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ "${1:-}" = "--test" ] && ! command -v node >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi
if [ "${1:-}" = "--test" ] && ! dpkg-query -W -f='${Status}' python3-dpkt 2>/dev/null | grep -q "install ok installed"; then
	missing="$missing python3-dpkt"
fi
# flowprepd's end-to-end tests: live capture on a veth pair, the notify socket,
# kcat consuming what Kafka output published
for t in tcpreplay:tcpreplay ip:iproute2 python3:python3 kcat:kcat; do
	if [ "${1:-}" = "--test" ] && ! command -v "${t%%:*}" >/dev/null 2>&1; then
		missing="$missing ${t#*:}"
	fi
done
if [ "${1:-}" = "--bench" ] && ! command -v tcpdump >/dev/null 2>&1; then
	missing="$missing tcpdump tcpreplay iproute2"
fi
if [ "${1:-}" = "--bench" ] && ! command -v softflowd >/dev/null 2>&1; then
	missing="$missing softflowd"
fi
if [ -n "$missing" ]; then
	echo "install-deps: apt-get install$missing" >&2
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# npm ci in DIR unless its lock file is what was installed last time.
npm_ci() {
	stamp="$here/$1/node_modules/.flowprep-lock.sha256"
	want=$(sha256sum "$here/$1/package-lock.json" | cut -d' ' -f1)
	if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
		echo "install-deps: npm ci in $1" >&2
		(cd "$here/$1" && npm ci --no-audit --no-fund --loglevel=error)
		echo "$want" > "$stamp"
	fi
}
if [ "${1:-}" = "--test" ]; then
	npm_ci tests/interop	# DuckDB and arrow-rs readers
	npm_ci tests/kafka	# kafkajs, the second Kafka consumer
fi
echo "install-deps: done" >&2
