// A deterministic source tree for the tool checks: nested directories, an empty directory,
// empty and multi-MiB files, mixed permission bits, and awkward names (spaces, non-ASCII, dot
// files, a 255-byte name), so an archive round trip exercises more than the happy path.
import Glibc

public enum SampleTree {
  public struct Summary: Sendable {
    public var files: Int
    public var directories: Int
    public var bytes: Int
  }

  /// Creates the tree inside the existing, empty folder `root`. `smallFilesOnly` caps files at
  /// 8 KiB (trees of many thousand files, where the count matters and the bytes do not).
  @discardableResult
  public static func generate(
    at root: String, fileCount: Int = 300, seed: UInt64 = 42, smallFilesOnly: Bool = false
  ) throws -> Summary {
    var rng = SplitMix64(seed: seed)
    var directories = [""]
    let specialDirectories = ["with space", "ünïcode-名前", ".hidden-dir"]
    for index in 0..<max(4, fileCount / 10) {
      // A random existing parent, at most 4 levels deep, so the tree is bushy and nested.
      let candidates = directories.filter { $0.split(separator: "/").count < 4 }
      let parent = rng.pick(candidates)
      let name = index < specialDirectories.count ? specialDirectories[index] : "dir_\(index)"
      let path = parent.isEmpty ? name : parent + "/" + name
      if let code = Sys.mkdir(FileTree.join(root, path), 0o755).errorCode {
        throw PosixError("mkdir", path, code)
      }
      directories.append(path)
    }
    // Stays empty: archives must carry empty directories too.
    if let code = Sys.mkdir(FileTree.join(root, "empty-dir"), 0o755).errorCode {
      throw PosixError("mkdir", "empty-dir", code)
    }

    let specialFiles = [
      "README", ".hidden", "name with spaces.txt", "ünïcødé-ファイル.bin",
      "long-" + String(repeating: "n", count: 250),
    ]
    var bytes = 0
    for index in 0..<fileCount {
      let parent = rng.pick(directories)
      let name = index < specialFiles.count ? specialFiles[index] : "file_\(index).dat"
      let path = parent.isEmpty ? name : parent + "/" + name
      let roll = rng.below(100)
      let size: Int
      if roll < 10 {
        size = 0
      } else if roll < 70 || smallFilesOnly {
        size = rng.inRange(1...8192)
      } else if roll < 95 {
        size = rng.inRange(8193...(256 << 10))
      } else {
        size = rng.inRange((1 << 20)...(3 << 20))
      }
      let modeRoll = rng.below(10)
      let mode: mode_t = modeRoll < 2 ? 0o755 : (modeRoll < 3 ? 0o600 : 0o644)
      let fullPath = FileTree.join(root, path)
      try writeFile(fullPath, DataPattern.bytes(count: size, seed: rng.next()))
      if let code = Sys.chmod(fullPath, mode).errorCode { throw PosixError("chmod", path, code) }
      bytes += size
    }
    return Summary(files: fileCount, directories: directories.count, bytes: bytes)
  }
}
