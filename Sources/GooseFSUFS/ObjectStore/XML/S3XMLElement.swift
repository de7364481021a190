import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A parsed XML element: S3 responses are small, shallow documents, so a tree is simpler to
/// query than a streaming state machine per response type. Namespaces are ignored (S3 puts
/// everything in one default namespace).
struct S3XMLElement: Sendable {
  var name: String
  var text: String = ""
  var children: [S3XMLElement] = []

  /// The first child called `name`.
  func child(_ name: String) -> S3XMLElement? {
    children.first { $0.name == name }
  }

  func children(_ name: String) -> [S3XMLElement] {
    children.filter { $0.name == name }
  }

  /// The text of the first child called `name`.
  func value(_ name: String) -> String? {
    child(name)?.text
  }

  /// Parses a whole document; nil when it is not well-formed XML.
  static func parse(_ data: [UInt8]) -> S3XMLElement? {
    let builder = TreeBuilder()
    let parser = XMLParser(data: Data(data))
    parser.delegate = builder
    parser.shouldProcessNamespaces = false
    guard parser.parse() else { return nil }
    return builder.root
  }

  /// XMLParser's delegate; lives only for one synchronous `parse()` call.
  private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [S3XMLElement] = []
    var root: S3XMLElement?

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName: String?, attributes: [String: String] = [:]
    ) {
      stack.append(S3XMLElement(name: elementName))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      guard !stack.isEmpty else { return }
      stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
      guard !stack.isEmpty else { return }
      stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
      guard let finished = stack.popLast() else { return }
      if stack.isEmpty {
        root = finished
      } else {
        stack[stack.count - 1].children.append(finished)
      }
    }
  }
}

/// Escaping for the few request bodies we write (keys in DeleteObjects, ETags in
/// CompleteMultipartUpload).
enum XMLText {
  static func escape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&apos;"
      // XML 1.0 cannot carry most control characters even as references; S3 accepts &#xD; etc.
      case _ where scalar.value < 0x20: result += "&#x\(String(scalar.value, radix: 16, uppercase: true));"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}
