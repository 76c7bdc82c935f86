#!/usr/bin/env bash
# Build the Linux app with PyInstaller, then check that the built program works on its own:
# it answers --version, creates a vault, captures the screen (under a private Xvfb),
# exports a pack using only the fonts inside the build, verifies the pack, and starts the
# desktop app, unlocks, and quits cleanly. Exits non-zero on the first failure.
#
#   bash packaging/check-build.sh              build, then check
#   bash packaging/check-build.sh --no-build   check dist/evidence-kit as it is
#
# Needs: Xvfb, and pdffonts (poppler-utils) for the font check. Nothing outside a
# temporary folder is written, apart from build/ and dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  if [ -x .venv/bin/python ]; then PY="$ROOT/.venv/bin/python"; else PY=python3; fi
fi

fail() { echo "check-build: FAILED: $*" >&2; exit 1; }
step() { echo "check-build: $*"; }

if [ "${1:-}" != "--no-build" ]; then
  started=$(date +%s)
  bash packaging/build-linux.sh
  step "built in $(( $(date +%s) - started )) s"
fi
APP="$ROOT/dist/evidence-kit/evidence-kit"
[ -x "$APP" ] || fail "$APP is missing: build it first"
step "size $(du -sh dist/evidence-kit | cut -f1)"
# The web browser's engine: its helper program and resources must be in the build.
for part in QtWebEngineProcess qtwebengine_resources.pak icudtl.dat; do
  [ -n "$(find dist/evidence-kit -name "$part" -print -quit)" ] || fail "$part is not in the build"
done
step "Qt WebEngine is in the build ($(du -sh "$(dirname "$(find dist/evidence-kit -name QtWebEngineProcess -print -quit)")/.." | cut -f1) of Qt)"

TMP=$(mktemp -d)
XVFB_PID=""
APP_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null || true
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# A clean environment: no source tree on the path, a private home, quick key derivation.
cd "$TMP"
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share"
export EVIDENCE_KIT_APP_CONFIG="$TMP/home/app.json" EVIDENCE_KIT_KDF_SECONDS=0
mkdir -p "$HOME"
unset PYTHONPATH PYTHONHOME EVIDENCE_KIT_VAULT EVIDENCE_KIT_FONT_DIRS WAYLAND_DISPLAY || true
PASS="a passphrase for the build check"
export EVIDENCE_KIT_PASSPHRASE="$PASS"
VAULT="$TMP/vault"

# 1. --version
want="evidence-kit $("$PY" -c 'import evidence_kit; print(evidence_kit.__version__)')"
got=$("$APP" --version)
[ "$got" = "$want" ] || fail "--version said '$got', expected '$want'"
step "--version: $got"

# 2. a vault
"$APP" --vault "$VAULT" init > init.out || fail "init: $(cat init.out)"
[ -f "$VAULT/vault.db" ] && [ -f "$VAULT/vault.keys" ] || fail "init made no vault"
grep -q "recovery code" init.out || fail "init showed no recovery code"
"$APP" --vault "$VAULT" incident new "Build check" > /dev/null
# Exhibit marks are the producer's initials and a number: a pack needs them set.
"$APP" --vault "$VAULT" profile set --name "Build Check" --initials BC > profile.out 2>&1 \
  || fail "profile: $(cat profile.out)"
step "init: a vault in $VAULT"

# 3. a screen capture on a private X server
command -v Xvfb >/dev/null || fail "Xvfb is not installed (apt-get install xvfb)"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3> "$TMP/display" 2>/dev/null &
XVFB_PID=$!
for _ in $(seq 100); do [ -s "$TMP/display" ] && break; sleep 0.1; done
[ -s "$TMP/display" ] || fail "Xvfb did not start"
export DISPLAY=":$(head -n1 "$TMP/display")"
"$APP" --vault "$VAULT" capture --incident 1 --url https://example.com/post/1 \
  --note "build check" > capture.out 2>&1 || fail "capture: $(cat capture.out)"
grep -q "Captured item 1: 1280×800" capture.out || fail "capture: $(cat capture.out)"
step "capture: $(head -n1 capture.out)"

# 4. an export, with only the fonts the build carries, then its own check
EVIDENCE_KIT_FONT_DIRS_ONLY=1 "$APP" --vault "$VAULT" export --incident 1 --for police \
  --out "$TMP/packs" > export.out 2>&1 || fail "export: $(cat export.out)"
PDF=$(ls "$TMP"/packs/*.pdf)
ZIP=$(ls "$TMP"/packs/*.zip)
if command -v pdffonts >/dev/null; then
  pdffonts "$PDF" | grep -q "DejaVuSans " || fail "the pack does not use the bundled fonts"
fi
"$APP" verify-bundle "$ZIP" > verify.out 2>&1 || fail "verify-bundle: $(cat verify.out)"
grep -q ": INTACT" verify.out || fail "verify-bundle: $(cat verify.out)"
"$APP" --vault "$VAULT" verify > vault-verify.out 2>&1 || fail "verify: $(cat vault-verify.out)"
step "export: $(basename "$PDF") and its ZIP, verified intact"

# 5. the desktop app: starts, unlocks, quits on SIGTERM (as at logout), exit 0
printf '%s' "$PASS" > pass.txt
chmod 600 pass.txt
unset EVIDENCE_KIT_PASSPHRASE
EVIDENCE_KIT_LOG_LEVEL=INFO QT_QPA_PLATFORM=xcb \
  "$APP" --vault "$VAULT" --passphrase-file pass.txt > gui.out 2> gui.err &
APP_PID=$!
for _ in $(seq 300); do grep -qs "vault unlocked" gui.err && break; sleep 0.1; done
grep -q "vault unlocked" gui.err || fail "the app did not unlock: $(cat gui.err)"
sleep 1
kill -TERM "$APP_PID"
code=0
wait "$APP_PID" || code=$?
APP_PID=""
[ "$code" -eq 0 ] || fail "the app exited with $code: $(cat gui.err)"
grep -q "vault locked" gui.err || fail "the app did not lock on quit: $(cat gui.err)"
if grep -E "Traceback|No module named|ModuleNotFoundError|could not load the Qt platform" gui.err; then
  fail "the app reported a missing part (above)"
fi
step "desktop app: started, unlocked, locked and quit cleanly"
step "all checks passed"
