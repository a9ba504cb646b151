#!/usr/bin/env bash
# Render page 1 of the Kazakhstan–Türkiye background brief in each language into docs/.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
.venv/bin/brief build kz-tr --kind background --format pdf --date 2026-02-02 --out "$tmp" --jobs 1
mkdir -p docs
for lang in kk ru en; do
  pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$tmp/2026-02-02_kz-tr_background_$lang.pdf" "docs/page1_$lang"
done
ls -l docs
