import Foundation
import GooseFSCore
import GooseFSFuse
import GooseFSRPC

// goosefs-fuse: mount (foreground with -f, as containers run it), unmount, stat.
let (commandLineProperties, arguments) = JavaOptions.extractSystemProperties(from: Array(CommandLine.arguments.dropFirst()))
let command: FuseCommand
do {
  command = try FuseCommand.parse(arguments)
} catch {
  FileHandle.standardError.write(Data("goosefs-fuse: \(error)\n".utf8))
  exit(2)
}
switch command {
case .help:
  print(FuseCommand.usage)
case .stat:
  print("pid\tmount_point\tgoosefs_path")
  FuseMountCommands.stat().forEach { print($0) }
case .unmount(let mountPoint):
  do {
    try FuseMountCommands.unmount(mountPoint)
    print("Unmounted \(mountPoint)")
  } catch {
    FileHandle.standardError.write(Data("goosefs-fuse: \(error)\n".utf8))
    exit(1)
  }
case .mount(let mountPoint, _, _, false):
  let logs = ProcessInfo.processInfo.environment["GOOSEFS_LOGS_DIR"] ?? "/tmp"
  do {
    try FuseBackground.start(
      arguments: Array(CommandLine.arguments.dropFirst(2)), mountPoint: mountPoint, logFile: logs + "/fuse.out",
      timeout: .seconds(120))
    print("Mounted at \(mountPoint)")
  } catch {
    FileHandle.standardError.write(Data("goosefs-fuse: \(error)\n".utf8))
    exit(1)
  }
case .mount(let mountPoint, let goosefsPath, let optionLists, true):
  let exitCode = await ServerMain.run(
    component: .fuse, name: "fuse", commandLineProperties: commandLineProperties, arguments: arguments
  ) { configuration, logger in
    let options = try FuseMountOptions.parse(optionLists)
    try await FuseDaemon.run(
      configuration: configuration, mountPoint: mountPoint, goosefsPath: goosefsPath, options: options, logger: logger)
  }
  exit(exitCode)
}
