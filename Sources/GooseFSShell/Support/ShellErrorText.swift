import GooseFSCore

/// The text the shell prints for an error: the master's Alluxio-worded message when there is
/// one (`Path "/x" does not exist.`), the shell's own message, or a description.
enum ShellErrorText {
  static func message(of error: any Error) -> String {
    switch error {
    case let error as GooseFSError: error.message
    case ShellFailure.message(let text), ShellFailure.usage(let text): text
    default: String(describing: error)
    }
  }
}
