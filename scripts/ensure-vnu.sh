#!/bin/sh
# Makes sure the Nu Html Checker (npm package vnu-jar, pinned below) is in .cache/vnu/ (git-ignored; the jar is
# ~30 MB, so it is never committed). Downloads it through npm when absent and checks the tarball against the
# pinned integrity. Prints the jar's path. Java 17+ runs it.
set -eu
VNU_VERSION=26.9.27
VNU_INTEGRITY=sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA==
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/.cache/vnu/$VNU_VERSION"
jar="$dir/vnu.jar"
if [ ! -f "$jar" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    (cd "$work" && npm pack --silent "vnu-jar@$VNU_VERSION" >/dev/null)
    tarball="$work/vnu-jar-$VNU_VERSION.tgz"
    actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
    if [ "$actual" != "$VNU_INTEGRITY" ]; then
        echo "integrity mismatch for vnu-jar $VNU_VERSION: $actual" >&2
        exit 1
    fi
    tar -xzf "$tarball" -C "$work"
    mkdir -p "$dir"
    cp "$work/package/build/dist/vnu.jar" "$jar.tmp"
    mv "$jar.tmp" "$jar"
    echo "vnu-jar $VNU_VERSION installed in .cache/vnu/" >&2
fi
echo "$jar"
