import GooseFSUFS
import Testing

@Suite("UFSStatus")
struct UFSStatusTests {
  @Test func defaultFingerprintFormats() {
    let file = UFSStatus(
      name: "f", isDirectory: false, length: 10, lastModified: 1234, mode: 0o100644,
      owner: "alice", group: "staff")
    #expect(file.fingerprint == "file|10|1234|alice|staff|644")
    #expect(file.mode == 0o644)

    let directory = UFSStatus(
      name: "d", isDirectory: true, length: 4096, lastModified: 1234, mode: 0o755, owner: "alice", group: "staff")
    #expect(directory.fingerprint == "directory|alice|staff|755")
    #expect(directory.length == 0)
  }

  @Test func objectStoresSupplyTheirOwnFingerprint() {
    let object = UFSStatus(
      name: "o", isDirectory: false, length: 3, lastModified: 1, mode: 0o644, owner: "", group: "",
      contentHash: "abc", fingerprint: UFSStatus.objectFingerprint(isDirectory: false, length: 3, etag: "abc"))
    #expect(object.fingerprint == "file|3|abc")
    #expect(object.contentHash == "abc")
  }
}
