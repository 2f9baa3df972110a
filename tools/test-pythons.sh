#!/usr/bin/env bash
# Run the test suite on each supported Python that this machine has, and say which ran.
#
#   tools/test-pythons.sh              3.11, 3.12 and 3.13 (each found on PATH or under pyenv)
#   PYTHONS="3.12 3.13" tools/test-pythons.sh
#   EXCEPT=3.11 tools/test-pythons.sh  all but 3.11 (make test-pythons: all but .venv's own)
#
# Each version gets its own virtualenv, .venvs/<version>, reinstalled when pyproject.toml
# changes. Extra arguments go to pytest. Exit status: 0 when every Python found passed, 1 when
# one failed, 2 when none of them was found.
set -uo pipefail
cd "$(dirname "$0")/.."

find_python() {  # the interpreter of version $1: pythonX.Y on PATH, else pyenv's newest X.Y.*
    local found
    if found=$(command -v "python$1" 2>/dev/null) && "$found" -c 'pass' 2>/dev/null; then
        echo "$found"; return 0
    fi
    local root=${PYENV_ROOT:-}
    [ -n "$root" ] || root=$(pyenv root 2>/dev/null) || root="$HOME/.pyenv"
    found=$(ls -d "$root/versions/$1".*/bin/python 2>/dev/null | sort -V | tail -n 1)
    [ -n "$found" ] && [ -x "$found" ] && echo "$found"
}

ran=() failed=() missing=()
for version in ${PYTHONS:-3.11 3.12 3.13}; do
    [ "$version" != "${EXCEPT:-}" ] || continue
    python=$(find_python "$version") || { missing+=("$version"); continue; }
    venv=".venvs/$version"
    if [ ! -f "$venv/.installed" ] || [ pyproject.toml -nt "$venv/.installed" ]; then
        rm -rf "$venv"
        "$python" -m venv "$venv" &&
            "$venv/bin/python" -m pip install --quiet --upgrade pip &&
            "$venv/bin/python" -m pip install --quiet -e '.[test]' &&
            touch "$venv/.installed" || { failed+=("$version (install)"); continue; }
    fi
    label="$("$venv/bin/python" -c 'import platform; print(platform.python_version())')"
    echo "== Python $label: $venv"
    if "$venv/bin/python" -m pytest "$@"; then ran+=("$label"); else failed+=("$label"); fi
done

summary="Pythons tested here: ${ran[*]:-none}"
[ -z "${EXCEPT:-}" ] || summary+=" (and $EXCEPT, by make test)"
[ ${#failed[@]} -eq 0 ] || summary+="; failed: ${failed[*]}"
[ ${#missing[@]} -eq 0 ] || summary+="; not found: ${missing[*]}"
echo "$summary"
[ ${#failed[@]} -eq 0 ] || exit 1
[ ${#ran[@]} -gt 0 ] || [ -n "${EXCEPT:-}" ] || exit 2
