#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Install the Debian packages given as arguments that are missing (make deps).
missing=""
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $pkg" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "*** Missing Debian packages:$missing" >&2
	echo "*** Install them as root: sudo apt-get install$missing" >&2
	exit 1
fi
echo "  DEPS    installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || { echo "*** apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	{ echo "*** apt-get install$missing failed" >&2; exit 1; }
