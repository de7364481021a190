/// The last line of a directory copy: Alluxio's `Copied <src> to <dst>` when every file made
/// it, otherwise a count of failures (the failed files were listed as they happened) and a
/// non-zero exit, so scripts never mistake a partial copy for a complete one.
enum CopySummary {
  static func finish(_ tally: Tally, total: Int, from source: String, to destination: String, _ output: ShellOutput) -> Int32 {
    if tally.failedCount == 0 {
      output.line("Copied \(source) to \(destination)")
      return ExitCode.success
    }
    output.line("Failed to copy \(tally.failedCount) of \(total) files from \(source) to \(destination)")
    return ExitCode.failure
  }
}
