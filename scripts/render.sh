#!/usr/bin/env bash
# Renders what `build` wrote (评估报告.docx, 汇总表.xlsx, 退回修改/*.xlsx) to PDF and PNG pages
# with LibreOffice, for people to look at. Not used by CI.
#
#   scripts/render.sh [OUT_DIR]        (default: out/2026Q3)
#
# Needs: libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk
set -euo pipefail
out="${1:-out/2026Q3}"
# Beside the output folder, not in it: build replaces only a folder holding nothing but its own
# outputs, and would refuse one with a 预览 inside.
dest="${out%/}-预览"
if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; then
  echo "需要 LibreOffice 和 poppler-utils：" >&2
  echo "  apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk" >&2
  exit 2
fi
mkdir -p "$dest"
shopt -s nullglob
for f in "$out"/*.docx "$out"/*.xlsx "$out"/退回修改/*.xlsx; do
  name="$(basename "${f%.*}")"
  soffice --headless --convert-to pdf "$f" --outdir "$dest" >/dev/null 2>&1
  pdftoppm -r 80 -png "$dest/$name.pdf" "$dest/$name"
  echo "$dest/$name.pdf ($(ls "$dest/$name"-*.png | wc -l) 页)"
done
