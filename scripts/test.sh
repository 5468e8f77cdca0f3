#!/usr/bin/env bash
# The test command: installs what the tests need on a fresh machine, then runs them.
set -euo pipefail
cd "$(dirname "$0")/.."

# The report's chart needs a CJK font (the tests check that it is drawn).
has_cjk_font() {
  ls /usr/share/fonts/truetype/wqy/*.ttc /usr/share/fonts/opentype/noto/*CJK*.ttc >/dev/null 2>&1
}
if ! has_cjk_font && command -v apt-get >/dev/null; then
  echo "installing fonts-wqy-microhei (a CJK font for the report's chart)…" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei) >/dev/null 2>&1 \
    || echo "warning: could not install fonts-wqy-microhei; tests of the chart will fail" >&2
fi

# The portal's browser test drives headless Chromium through chromedriver (Debian packages).
if ! command -v chromedriver >/dev/null || ! [ -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null; then
    echo "installing chromium and chromium-driver (for the portal's browser test)…" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null 2>&1 \
      || echo "warning: could not install chromium; the browser test will fail" >&2
  fi
fi

cargo test "$@"
