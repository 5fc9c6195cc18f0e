#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Install the Debian packages given as arguments that are missing (make deps).

# The programs phase of make test cross-builds Debian's own sources (apt-get
# source), which needs a deb-src line: add one for bookworm when there is none.
have_src() {
	grep -qs '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list && return 0
	grep -qsi '^[[:space:]]*Types:.*deb-src' /etc/apt/sources.list.d/*.sources
}
src_file=/etc/apt/sources.list.d/hartix-deb-src.sources
added_src=""
if ! have_src; then
	if [ "$(id -u)" != 0 ]; then
		echo "*** No deb-src line in /etc/apt: the programs tests need one (run 'make deps' as root)" >&2
	else
		printf '%s\n' '# Added by Hartix tools/deps.sh: source packages for the programs tests.' \
			'Types: deb-src' 'URIs: http://deb.debian.org/debian' \
			'Suites: bookworm bookworm-updates' 'Components: main' \
			'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' > "$src_file"
		echo "  DEPS    added a deb-src line for Debian 12 (bookworm): $src_file"
		added_src=1
	fi
fi
missing=""
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $pkg" ;;
	esac
done
if [ -z "$missing" ]; then
	[ -z "$added_src" ] && exit 0
	echo "  DEPS    apt-get update (for the new deb-src line)"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
		{ echo "*** apt-get update failed" >&2; exit 1; }
	exit 0
fi

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
