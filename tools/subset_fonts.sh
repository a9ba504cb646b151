#!/usr/bin/env bash
# Re-create templates/fonts/ from Debian's fonts-noto-core (static Noto Sans / Noto Serif).
# The subset keeps Latin, Cyrillic (Kazakh included), punctuation, ₸ and the licence strings.
set -euo pipefail
src=${1:-/usr/share/fonts/truetype/noto}
dst=$(dirname "$0")/../templates/fonts
for f in NotoSans-Regular NotoSans-Bold NotoSans-Italic NotoSans-BoldItalic \
         NotoSerif-Regular NotoSerif-Bold NotoSerif-Italic NotoSerif-BoldItalic; do
  pyftsubset "$src/$f.ttf" \
    --unicodes="U+0020-007E,U+00A0-017F,U+0400-052F,U+2000-206F,U+20A0-20CF,U+2116,U+2122,U+2190-2193,U+2212,U+25CF,U+FB01-FB02" \
    --layout-features='*' --name-IDs='*' --output-file="$dst/$f.ttf"
done
