#!/usr/bin/env bash
# Installs everything a build or a test run needs, and nothing twice:
# Debian's fonts and the HarfBuzz subsetter (without it WeasyPrint subsets the
# 20 MB CJK fonts in Python, ~40x slower), then a virtual environment with the
# pinned Python packages, and the project installed into it (editable) so that
# every process of that environment imports it: a Dask scheduler or worker started
# from .venv/bin, a notebook.
set -euo pipefail
cd "$(dirname "$0")"

apt_packages=(
    fonts-noto-cjk        # 宋体/黑体 roles: Noto Serif/Sans CJK SC
    fonts-lxgw-wenkai     # 楷体 role: kickers, subheads, captions
    fonts-hanazono        # 生僻字 fallback
    libpango-1.0-0 libpangoft2-1.0-0  # WeasyPrint's text layout
    libharfbuzz-subset0   # fast font subsetting in WeasyPrint
    poppler-utils         # pdftoppm for PNG previews
    libgs-common          # ghostscript's CMYK ICC profile: the PDF/X output intent
    zbar-tools            # zbarimg: tests read the masthead's barcode and QR code back
    chromium              # tests drive the live proof in a headless browser (Playwright)
)
missing=()
for package in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    echo "setup: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

stamp=.venv/requirements.sha256
wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "setup: creating .venv with the pinned packages" >&2
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
    echo "$wanted" >"$stamp"
fi

# Again when pyproject.toml (the entry point, the packages) or the checkout's place changes.
installed=.venv/project.sha256
project=$( (sha256sum pyproject.toml && pwd) | sha256sum | cut -d' ' -f1)
if [ "$(cat "$installed" 2>/dev/null)" != "$project" ]; then
    echo "setup: installing the project into .venv" >&2
    .venv/bin/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
    echo "$project" >"$installed"
fi
