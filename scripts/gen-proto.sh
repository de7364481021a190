#!/usr/bin/env bash
# Regenerates the Swift code for proto/*.proto into Sources/GooseFSRPC/Generated.
# The generated files are committed: building the protoc plugins takes minutes, so CI never runs this.
# Needs `protoc` (Debian: protobuf-compiler). Builds the two plugins once into .build-protoc/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
plugins="$root/.build-protoc"
out="$root/Sources/GooseFSRPC/Generated"

if [ ! -x "$plugins/pkg/.build/release/protoc-gen-grpc-swift-2" ]; then
  mkdir -p "$plugins/pkg"
  cat > "$plugins/pkg/Package.swift" <<'PKG'
// swift-tools-version:6.0
import PackageDescription
let package = Package(
  name: "protoc-plugins",
  dependencies: [
    .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "2.4.1"),
  ],
  targets: []
)
PKG
  (cd "$plugins/pkg" && swift build -c release --product protoc-gen-swift && swift build -c release --product protoc-gen-grpc-swift-2)
fi
bin="$plugins/pkg/.build/release"

rm -rf "$out" && mkdir -p "$out"
protoc -I "$root/proto" \
  --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
  --plugin=protoc-gen-grpc-swift-2="$bin/protoc-gen-grpc-swift-2" \
  --swift_out="$out" --swift_opt=Visibility=Public \
  --grpc-swift-2_out="$out" --grpc-swift-2_opt=Visibility=Public,Client=true,Server=true \
  "$root"/proto/*.proto
# protoc-gen-grpc-swift-2 writes an empty file for protos without a service; drop those.
for f in "$out"/*.grpc.swift; do grep -q "ServiceDescriptor" "$f" || rm "$f"; done
echo "generated: $(ls "$out" | tr '\n' ' ')"
