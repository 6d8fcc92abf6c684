# Sourced by the CI scripts that validate REFI-QDA files: installs xmllint
# (libxml2-utils) when it is missing.
if ! command -v xmllint >/dev/null; then
	echo "== installing xmllint (libxml2-utils)"
	sudo=""
	if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq libxml2-utils >/dev/null
fi
