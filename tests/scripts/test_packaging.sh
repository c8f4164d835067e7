#!/usr/bin/env bash
# Packaging test: runs CPack (DEB and TGZ) on the current build into a scratch folder and checks
# what a user would install: both programs, libcairn_core (found through the binaries' RPATH, not the
# build tree), the plugin folder, the .desktop file and the icon, Debian metadata and dependencies,
# and that the packaged cairn-cli (and cairn, offscreen) print the version.
# Environment (set by CTest): CAIRN_BUILD_DIR, CAIRN_SOURCE_DIR.
set -euo pipefail

build=${CAIRN_BUILD_DIR:?CAIRN_BUILD_DIR is not set}
[ -f "$build/CPackConfig.cmake" ] || { echo "FAIL: $build/CPackConfig.cmake missing (configure first)"; exit 1; }
for tool in cpack dpkg-deb tar readelf; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/cairn-packaging.XXXXXX")
trap 'rm -rf "$work"' EXIT

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok:   $*"; }

gui=ON
grep -q '^CAIRN_BUILD_GUI:BOOL=OFF' "$build/CMakeCache.txt" && gui=OFF
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
[ -n "$version" ] || version=$(sed -n 's/^Cairn_VERSION:STATIC=//p' "$build/CMakeCache.txt")

# -B puts the packages and CPack's staging tree in the scratch folder, so the build tree stays clean.
if ! (cd "$work" && cpack --config "$build/CPackConfig.cmake" -G "DEB;TGZ" -B "$work/out" >"$work/cpack.log" 2>&1); then
    cat "$work/cpack.log"
    echo "FAIL: cpack failed"
    exit 1
fi
deb=$(ls "$work"/out/*.deb 2>/dev/null | head -1)
tgz=$(ls "$work"/out/*.tar.gz 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "FAIL: no .deb produced"; cat "$work/cpack.log"; exit 1; }
[ -n "$tgz" ] || { echo "FAIL: no .tar.gz produced"; cat "$work/cpack.log"; exit 1; }
pass "cpack produced $(basename "$deb") and $(basename "$tgz")"

# What both packages must contain, relative to the install prefix.
expected=(bin/cairn-cli lib/libcairn_core.so.0 "lib/libcairn_core.so.$version" lib/cairn/plugins/ lib/cairn/plugins/README.txt)
if [ "$gui" = ON ]; then
    expected+=(bin/cairn share/applications/cairn.desktop share/icons/hicolor/scalable/apps/cairn.svg)
fi

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./usr/||' >"$work/deb.list"
tar tzf "$tgz" | sed 's|^[^/]*/||' >"$work/tgz.list"
for kind in deb tgz; do
    for f in "${expected[@]}"; do
        if grep -qxF "$f" "$work/$kind.list"; then pass "$kind has $f"; else fail "$kind lacks $f"; fi
    done
    # The runtime package carries no development symlink and nothing from the build tree.
    if grep -qx 'lib/libcairn_core.so' "$work/$kind.list"; then fail "$kind ships the libcairn_core.so dev symlink"; fi
    if grep -qiE '(^|/)(tst_[^/]*|CMakeFiles|.*\.o)$' "$work/$kind.list"; then fail "$kind ships test or build files"; fi
done

# Debian metadata.
info=$(dpkg-deb -I "$deb")
field() { printf '%s\n' "$info" | sed -n "s/^ $1: //p"; }
[ "$(field Package)" = cairn ] && pass "deb Package: cairn" || fail "deb Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] && pass "deb Version: $version" || fail "deb Version is '$(field Version)', want $version"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] && pass "deb Architecture matches" || fail "deb Architecture is '$(field Architecture)'"
depends=$(field Depends)
want_deps=(libc6 libstdc++6 libsqlite3-0)
[ "$gui" = ON ] && want_deps+=(libqt6core6 libqt6widgets6)
for d in "${want_deps[@]}"; do
    if printf '%s\n' "$depends" | tr ',' '\n' | awk '{print $1}' | grep -qxF "$d"; then pass "deb depends on $d"; else fail "deb Depends lacks $d: $depends"; fi
done
if printf '%s\n' "$depends" | grep -q cairn; then fail "deb depends on itself: $depends"; fi
[ -n "$(field Description)" ] && pass "deb has a description" || fail "deb has no description"

# Extract both packages and run what they contain, with the build tree out of the way: the binaries
# must find the packaged libcairn_core through their RPATH.
mkdir -p "$work/deb" "$work/tgz"
dpkg-deb -x "$deb" "$work/deb"
tar xzf "$tgz" -C "$work/tgz"
tgzroot=$(find "$work/tgz" -mindepth 1 -maxdepth 1 -type d | head -1)
for root in "$work/deb/usr" "$tgzroot"; do
    kind=$([ "$root" = "$work/deb/usr" ] && echo deb || echo tgz)
    cli="$root/bin/cairn-cli"
    for exe in "$root"/bin/*; do
        runpath=$(readelf -d "$exe" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p; s/.*(RPATH).*\[\(.*\)\]/\1/p')
        if [ "$runpath" = '$ORIGIN/../lib' ]; then pass "$kind $(basename "$exe") RUNPATH is \$ORIGIN/../lib"
        else fail "$kind $(basename "$exe") RUNPATH is '$runpath' (want \$ORIGIN/../lib, never the build tree)"; fi
    done
    # Every packaged program that links the engine must load the packaged copy (today's skeleton
    # programs may not need it yet: the linker drops unused libraries).
    for exe in "$root"/bin/*; do
        readelf -d "$exe" | grep -q 'NEEDED.*libcairn_core' || continue
        lib=$(env -u LD_LIBRARY_PATH ldd "$exe" | awk '/libcairn_core/ {print $3}')
        if [ "$(readlink -f "$lib" 2>/dev/null)" = "$(readlink -f "$root/lib/libcairn_core.so.0")" ]; then
            pass "$kind $(basename "$exe") loads the packaged libcairn_core"
        else
            fail "$kind $(basename "$exe") resolves libcairn_core to '$lib'"
        fi
    done
    ldd "$root/lib/libcairn_core.so.0" | grep -q 'not found' && fail "$kind libcairn_core has unresolved dependencies"
    out=$(env -u LD_LIBRARY_PATH "$cli" --version 2>/dev/null) || fail "$kind cairn-cli --version exited non-zero: $out"
    if printf '%s\n' "$out" | grep -qF "$version"; then pass "$kind cairn-cli --version: $out"; else fail "$kind cairn-cli --version printed '$out'"; fi
    if [ "$gui" = ON ]; then
        out=$(env -u LD_LIBRARY_PATH QT_QPA_PLATFORM=offscreen timeout 30 "$root/bin/cairn" --version 2>/dev/null) \
            || fail "$kind cairn --version exited non-zero: $out"
        if printf '%s\n' "$out" | grep -qF "$version"; then pass "$kind cairn --version: $out"; else fail "$kind cairn --version printed '$out'"; fi
    fi
done

if [ "$gui" = ON ]; then
    desktop="$work/deb/usr/share/applications/cairn.desktop"
    for key in 'Type=Application' 'Exec=cairn' 'Icon=cairn' 'Name=Cairn'; do
        grep -qxF "$key" "$desktop" && pass "desktop file has $key" || fail "desktop file lacks $key"
    done
    if command -v desktop-file-validate >/dev/null; then
        desktop-file-validate "$desktop" && pass "desktop-file-validate" || fail "desktop-file-validate reported problems"
    fi
    head -c 512 "$work/deb/usr/share/icons/hicolor/scalable/apps/cairn.svg" | grep -q '<svg' \
        && pass "icon is an SVG" || fail "icon is not an SVG"
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures packaging check(s) failed"
    exit 1
fi
echo "packaging: all checks passed"
