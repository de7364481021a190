import GooseFSCore
import GooseFSUFS
import Testing

@Suite("UFSURI")
struct UFSURITests {
  struct Case: Sendable, CustomTestStringConvertible {
    let input: String
    let scheme: String
    let authority: String
    let path: String
    let printed: String
    var testDescription: String { input }
  }

  static let valid: [Case] = [
    Case(input: "/abs/path", scheme: "", authority: "", path: "/abs/path", printed: "/abs/path"),
    Case(input: "/", scheme: "", authority: "", path: "/", printed: "/"),
    Case(input: "//data///a//b/", scheme: "", authority: "", path: "/data/a/b", printed: "/data/a/b"),
    Case(input: "/data/./a", scheme: "", authority: "", path: "/data/a", printed: "/data/a"),
    Case(input: "file:///abs/path", scheme: "file", authority: "", path: "/abs/path", printed: "file:///abs/path"),
    Case(input: "FILE:///x/", scheme: "file", authority: "", path: "/x", printed: "file:///x"),
    Case(input: "file:/hadoop/style", scheme: "file", authority: "", path: "/hadoop/style", printed: "file:///hadoop/style"),
    Case(input: "file://localhost/x", scheme: "file", authority: "", path: "/x", printed: "file:///x"),
    Case(
      input: "cosn://bucket-1250000000/prefix/", scheme: "cosn", authority: "bucket-1250000000",
      path: "/prefix", printed: "cosn://bucket-1250000000/prefix"),
    Case(input: "s3://bucket/a/b", scheme: "s3", authority: "bucket", path: "/a/b", printed: "s3://bucket/a/b"),
    Case(input: "s3://bucket", scheme: "s3", authority: "bucket", path: "/", printed: "s3://bucket/"),
    Case(input: "s3a://bucket/", scheme: "s3a", authority: "bucket", path: "/", printed: "s3a://bucket/"),
    Case(input: "/data/a:b", scheme: "", authority: "", path: "/data/a:b", printed: "/data/a:b"),
  ]

  @Test(arguments: valid)
  func parses(_ item: Case) throws {
    let uri = try UFSURI(item.input)
    #expect(uri.scheme == item.scheme)
    #expect(uri.authority == item.authority)
    #expect(uri.path == item.path)
    #expect(uri.description == item.printed)
    #expect(try UFSURI(uri.description) == uri)
  }

  @Test(arguments: ["", "relative/path", "s3://", "s3:///no-bucket", "/a/../b", "file://otherhost/x"])
  func rejects(_ input: String) {
    #expect(throws: GooseFSError.self) { try UFSURI(input) }
  }

  @Test func credentialsAreRejectedWithoutEchoingThem() throws {
    let error = #expect(throws: GooseFSError.self) { try UFSURI("s3://AKID:topsecret@bucket/x") }
    #expect(error?.code == .invalidArgument)
    #expect(error?.message.contains("topsecret") == false)
  }

  @Test func joinParentNameAndContainment() throws {
    let root = try UFSURI("s3://bucket/prefix")
    let child = try root.joining("a//b/")
    #expect(child.description == "s3://bucket/prefix/a/b")
    #expect(child.name == "b")
    #expect(child.parent?.description == "s3://bucket/prefix/a")
    #expect(try UFSURI("/").joining("x").description == "/x")
    #expect(try UFSURI("/x").parent?.description == "/")
    #expect(try UFSURI("/").parent == nil)
    #expect(try UFSURI("/").name == "")
    #expect(throws: GooseFSError.self) { try root.joining("../escape") }

    #expect(root.contains(child))
    #expect(root.contains(root))
    #expect(!root.contains(try UFSURI("s3://bucket/prefix2")))
    #expect(!root.contains(try UFSURI("s3://other/prefix/a")))
    #expect(try UFSURI("/data").contains(try UFSURI("file:///data/x")))
    #expect(root.relativePath(of: child) == "a/b")
    #expect(try UFSURI("/").relativePath(of: try UFSURI("/a/b")) == "a/b")
    #expect(root.relativePath(of: root) == "")
    #expect(root.relativePath(of: try UFSURI("s3://bucket/elsewhere")) == nil)
  }
}
