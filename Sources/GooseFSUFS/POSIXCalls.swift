#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// C calls whose names clash with methods of the stream and adapter types (`close`, `write`,
// `rename`); inside those types the bare name would resolve to the method.

func systemClose(_ descriptor: Int32) {
  // Errors from close are not actionable here: data durability is settled by fsync beforehand.
  _ = close(descriptor)
}

func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}

func systemRename(_ source: String, _ destination: String) -> Int32 {
  rename(source, destination)
}
