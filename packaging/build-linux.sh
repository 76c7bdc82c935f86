#!/usr/bin/env bash
# Build Evidence Kit for Linux with PyInstaller: a one-folder app, plus a tarball that
# installs it with a menu entry and icon.
#
#   bash packaging/build-linux.sh
#
# Result:
#   dist/evidence-kit/                          the app (run dist/evidence-kit/evidence-kit)
#   dist/evidence-kit-VERSION-linux-ARCH.tar.gz  the same folder, to unpack and ./install.sh
#
# Uses .venv/bin/python when there is one (else python3, or $PYTHON); that Python must have
# Evidence Kit installed (pip install -e .). PyInstaller is installed into it if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python3; fi
fi
if ! "$PY" -m PyInstaller --version >/dev/null 2>&1; then
  echo "build-linux: installing PyInstaller into $("$PY" -c 'import sys; print(sys.prefix)')"
  "$PY" -m pip install -q 'pyinstaller>=6.10'
fi

APP_ID=org.evidencekit.EvidenceKit
VERSION=$("$PY" -c 'import evidence_kit; print(evidence_kit.__version__)')
ARCH=$(uname -m)

# The icons are rendered from the SVG by a script; a stale icon stops the build.
"$PY" packaging/make_icons.py --check

"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/evidence-kit.spec

# Desktop integration files inside the folder, laid out as under /usr/share.
APP=dist/evidence-kit
SHARE="$APP/share"
rm -rf "$SHARE"
install -Dm644 "resources/$APP_ID.desktop" "$SHARE/applications/$APP_ID.desktop"
install -Dm644 "resources/$APP_ID.metainfo.xml" "$SHARE/metainfo/$APP_ID.metainfo.xml"
install -Dm644 "resources/$APP_ID.svg" "$SHARE/icons/hicolor/scalable/apps/$APP_ID.svg"
for png in evidence_kit/resources/icons/evidence-kit-*.png; do
  size=${png##*-}; size=${size%.png}
  install -Dm644 "$png" "$SHARE/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
install -m755 packaging/install-linux.sh "$APP/install.sh"
install -m644 LICENSE "$APP/LICENSE"

TARBALL="dist/evidence-kit-$VERSION-linux-$ARCH.tar.gz"
tar -C dist -czf "$TARBALL" evidence-kit
echo "build-linux: $APP ($(du -sh "$APP" | cut -f1)), $TARBALL ($(du -sh "$TARBALL" | cut -f1))"
