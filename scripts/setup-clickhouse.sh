#!/usr/bin/env bash
# What the fleet tests and benches need, idempotently (scripts/test.sh runs it): Debian's
# clickhouse-server (18.16), installed without its recommends and never started as a service here:
# the tests start their own two-server cluster on 127.0.0.1 (scripts/clickhouse-cluster.mjs).
set -euo pipefail
if [ ! -x /usr/sbin/clickhouse-server ]; then
  printf '==> installing clickhouse-server (Debian)\n' >&2
  apt-get update -qq
  # policy-rc.d keeps the package's own service from starting (no systemd here, and no need).
  had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
  [ $had_policy = 1 ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clickhouse-server >/dev/null
  [ $had_policy = 1 ] || rm -f /usr/sbin/policy-rc.d
fi
