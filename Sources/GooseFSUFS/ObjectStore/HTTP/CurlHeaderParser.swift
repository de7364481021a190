/// Assembles a response head from the header lines libcurl reports one at a time. Interim
/// responses (100 Continue) are skipped; lines after the final head (trailers) are ignored.
struct CurlHeaderParser {
  private var status: Int?
  private var headers: [(name: String, value: String)] = []
  private var done = false

  /// Takes one line (with its CRLF); returns the head when the blank line ending it arrives.
  mutating func consume(_ bytes: UnsafeRawBufferPointer) -> HTTPResponseHead? {
    guard !done else { return nil }
    var line = Substring(String(decoding: bytes, as: UTF8.self))
    while let last = line.last, last == "\r" || last == "\n" || last == "\r\n" { line.removeLast() }

    if line.hasPrefix("HTTP/") {
      // "HTTP/1.1 200 OK": a new response starts (the previous one was interim).
      let fields = line.split(separator: " ", maxSplits: 2)
      status = fields.count >= 2 ? Int(fields[1]) : nil
      headers = []
      return nil
    }
    if line.isEmpty {
      guard let status, !(100..<200).contains(status) else {
        status = nil
        return nil
      }
      done = true
      return HTTPResponseHead(status: status, headers: headers)
    }
    if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
      // Obsolete line folding: the line continues the previous value.
      headers[headers.count - 1].value += " " + trimmed(line)
      return nil
    }
    guard let colon = line.firstIndex(of: ":") else { return nil }
    headers.append((String(line[..<colon]), trimmed(line[line.index(after: colon)...])))
    return nil
  }

  private func trimmed(_ text: Substring) -> String {
    String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
  }
}
