#!/usr/bin/env bash
# Install the Evidence Kit folder this script sits in, for you alone (no root needed):
#
#   ./install.sh               the app in ~/.local/lib/evidence-kit, the command in
#                              ~/.local/bin, a menu entry and icons in ~/.local/share
#   ./install.sh --uninstall   take all of that away again (your vault is never touched)
#
# PREFIX=/usr/local ./install.sh (as root) installs it for everyone instead.
set -euo pipefail

APP_ID=org.evidencekit.EvidenceKit
HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="${PREFIX:-$HOME/.local}"
LIB="$PREFIX/lib/evidence-kit"
BIN="$PREFIX/bin/evidence-kit"
SHARE="$PREFIX/share"

refresh() {
  # Menus and icon themes notice a changed folder by its time. (No icon-theme.cache is
  # written: a stale one would hide other apps' icons installed here later.)
  touch "$SHARE/applications" "$SHARE/icons/hicolor" 2>/dev/null || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$LIB"
  rm -f "$BIN" "$SHARE/applications/$APP_ID.desktop" "$SHARE/metainfo/$APP_ID.metainfo.xml"
  find "$SHARE/icons/hicolor" -name "$APP_ID.*" -delete 2>/dev/null || true
  refresh
  echo "Evidence Kit was removed. Your vault and its backups were not touched."
  exit 0
fi

if [ ! -x "$HERE/evidence-kit" ] || [ ! -d "$HERE/share" ]; then
  echo "install.sh: run me from the unpacked evidence-kit folder" >&2
  exit 2
fi

mkdir -p "$PREFIX/lib" "$PREFIX/bin"
if [ "$HERE" != "$LIB" ]; then
  rm -rf "$LIB.new"
  cp -a "$HERE" "$LIB.new"
  rm -rf "$LIB"
  mv "$LIB.new" "$LIB"
fi
ln -sfn "$LIB/evidence-kit" "$BIN"
(cd "$LIB/share" && find . -type f) | while read -r file; do
  install -Dm644 "$LIB/share/$file" "$SHARE/$file"
done
# The menu entry names the program by its full path, so it works even when
# $PREFIX/bin is not on the PATH.
sed -i -e "s|^Exec=evidence-kit|Exec=$LIB/evidence-kit|" \
       -e "s|^TryExec=evidence-kit|TryExec=$LIB/evidence-kit|" \
       "$SHARE/applications/$APP_ID.desktop"
refresh
echo "Evidence Kit is installed: find it in your applications menu, or run $BIN"
case ":$PATH:" in *":$PREFIX/bin:"*) ;; *)
  echo "($PREFIX/bin is not on your PATH: the menu entry works, the command needs the full path)";;
esac
