#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Synchronization

/// Where commands print. In production it writes straight to file descriptors 1 and 2 (no
/// buffering surprises when Fluid reads the pipes); in tests it captures both streams.
/// File contents (`cat`, `head`, `tail`) go through `write(bytes:)` unchanged, so binary data
/// is never re-encoded as text.
public final class ShellOutput: Sendable {
  public enum Stream: Sendable {
    case standardOutput
    case standardError
  }

  private let capturing: Bool
  private let captured = Mutex<(out: [UInt8], err: [UInt8])>(([], []))

  private init(capturing: Bool) {
    self.capturing = capturing
  }

  /// Writes to the process's stdout/stderr.
  public static func console() -> ShellOutput { ShellOutput(capturing: false) }

  /// Keeps everything in memory; read it back with `standardOutput` / `standardError`.
  public static func capturing() -> ShellOutput { ShellOutput(capturing: true) }

  /// Everything printed to stdout so far (capturing mode only).
  public var standardOutput: String { String(decoding: standardOutputBytes, as: UTF8.self) }
  /// The raw bytes printed to stdout so far (capturing mode only).
  public var standardOutputBytes: [UInt8] { captured.withLock { $0.out } }
  /// Everything printed to stderr so far (capturing mode only).
  public var standardError: String { captured.withLock { String(decoding: $0.err, as: UTF8.self) } }

  /// Prints one line (a newline is appended) on stdout, like Java's `System.out.println`.
  public func line(_ text: String = "") {
    write(text + "\n", to: .standardOutput)
  }

  /// Prints one line on stderr.
  public func errorLine(_ text: String) {
    write(text + "\n", to: .standardError)
  }

  public func write(_ text: String, to stream: Stream) {
    write(bytes: Array(text.utf8), to: stream)
  }

  /// Writes bytes as they are (file contents).
  public func write(bytes: [UInt8], to stream: Stream = .standardOutput) {
    bytes.withUnsafeBytes { write(raw: $0, to: stream) }
  }

  /// Writes bytes as they are, without copying them first (`cat` of large files).
  public func write(raw buffer: UnsafeRawBufferPointer, to stream: Stream = .standardOutput) {
    if capturing {
      captured.withLock {
        switch stream {
        case .standardOutput: $0.out += buffer
        case .standardError: $0.err += buffer
        }
      }
      return
    }
    guard let base = buffer.baseAddress else { return }
    let descriptor: Int32 = stream == .standardOutput ? 1 : 2
    var offset = 0
    // Mutex serialises concurrent writers so lines never interleave.
    captured.withLock { _ in
      while offset < buffer.count {
        #if canImport(Glibc)
          let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
        #else
          let written = Darwin.write(descriptor, base + offset, buffer.count - offset)
        #endif
        if written < 0 && errno == EINTR { continue }
        if written <= 0 { break }  // closed pipe: nothing sensible left to do
        offset += written
      }
    }
  }
}
