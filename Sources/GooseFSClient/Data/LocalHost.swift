import Foundation
#if canImport(Glibc)
  import Glibc
#endif

/// Decides whether a worker runs on this host: its registered name equals ours, or it resolves
/// to one of this host's addresses (Fluid registers workers by node IP, clients by name).
enum LocalHost {
  static func isLocal(_ host: String, clientHostname: String) -> Bool {
    if host == clientHostname || host == "localhost" { return true }
    let local = localAddresses()
    return resolve(host).contains { local.contains($0) }
  }

  /// IPv4/IPv6 addresses of this host's interfaces, as text.
  static func localAddresses() -> Set<String> {
    var result: Set<String> = ["127.0.0.1", "::1"]
    var list: UnsafeMutablePointer<ifaddrs>?
    guard getifaddrs(&list) == 0, let first = list else { return result }
    defer { freeifaddrs(list) }
    var cursor: UnsafeMutablePointer<ifaddrs>? = first
    while let entry = cursor {
      if let address = entry.pointee.ifa_addr, let text = numericHost(address) { result.insert(text) }
      cursor = entry.pointee.ifa_next
    }
    return result
  }

  static func resolve(_ host: String) -> [String] {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var info: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, nil, &hints, &info) == 0, let first = info else { return [] }
    defer { freeaddrinfo(info) }
    var result: [String] = []
    var cursor: UnsafeMutablePointer<addrinfo>? = first
    while let entry = cursor {
      if let address = entry.pointee.ai_addr, let text = numericHost(address) { result.append(text) }
      cursor = entry.pointee.ai_next
    }
    return result
  }

  private static func numericHost(_ address: UnsafeMutablePointer<sockaddr>) -> String? {
    let family = Int32(address.pointee.sa_family)
    guard family == AF_INET || family == AF_INET6 else { return nil }
    let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
    var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
    guard getnameinfo(address, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 else { return nil }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
