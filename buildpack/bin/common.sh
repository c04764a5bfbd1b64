# Shared by the buildpack's scripts (sourced, not run).
# pinset is found as: $PINSET (a command, split on spaces, e.g. "/opt/py/bin/python -m pinset"),
# else `pinset` on PATH.

step() { printf -- '-----> %s\n' "$*"; }
indent() { sed 's/^/       /'; }
fail() {
  printf ' !     %s\n' "$@" >&2
  exit 1
}

find_pinset() {
  if [ -n "${PINSET:-}" ]; then
    read -r -a PINSET_CMD <<<"$PINSET"
  elif command -v pinset >/dev/null 2>&1; then
    PINSET_CMD=(pinset)
  else
    fail "pinset not found: set PINSET to the command that runs it, or put pinset on PATH"
  fi
}
