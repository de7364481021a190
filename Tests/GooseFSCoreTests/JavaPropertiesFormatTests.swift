import Testing

@testable import GooseFSCore

@Suite("Site file format")
struct JavaPropertiesFormatTests {
  @Test func parsesSeparatorsCommentsAndContinuations() {
    let text = """
      # comment
      ! another comment
        goosefs.master.hostname = master-0   
      goosefs.master.rpc.port: 9200
      goosefs.worker.tieredstore.level0.alias SSD
      goosefs.master.embedded.journal.addresses=a:1,\\
          b:2,\\
          c:3

      key\\ with\\ spaces=v\\u0041
      empty=
      path=C:\\\\data
      url=http://x:1/y
      """
    let entries = JavaPropertiesFormat.parse(text)
    #expect(entries.map(\.0) == [
      "goosefs.master.hostname", "goosefs.master.rpc.port", "goosefs.worker.tieredstore.level0.alias",
      "goosefs.master.embedded.journal.addresses", "key with spaces", "empty", "path", "url",
    ])
    #expect(entries.map(\.1) == ["master-0", "9200", "SSD", "a:1,b:2,c:3", "vA", "", "C:\\data", "http://x:1/y"])
  }

  @Test func handlesWindowsLineEndingsAndTrailingContinuation() {
    let entries = JavaPropertiesFormat.parse("a=1\r\nb=2\\")
    #expect(entries.map(\.0) == ["a", "b"])
    #expect(entries.map(\.1) == ["1", "2"])
  }
}
