import GooseFSCore
import Testing

@testable import GooseFSFuse

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct FuseMountOptionsTests {
  @Test func fluidsDefaultOptions() throws {
    let options = try FuseMountOptions.parse(["rw,direct_io,allow_other"])
    #expect(options.directIO && options.allowOther && !options.readOnly)
    #expect(options.sessionOptions == "fsname=goosefs,subtype=goosefs-fuse,max_read=1048576,allow_other,default_permissions")
  }

  @Test func everyOptionOfTheIssueIsAcceptedAndMeaninglessOnesAreNoted() throws {
    let options = try FuseMountOptions.parse([
      "ro,kernel_cache,uid=1000,gid=100,max_read=131072,max_readahead=8388608,attr_timeout=7200,entry_timeout=1.5",
      "nonempty,allow_root",
    ])
    #expect(options.readOnly && options.kernelCache && options.allowRoot)
    #expect(options.uid == 1000 && options.gid == 100)
    #expect(options.maxRead == 131072 && options.maxReadahead == 8_388_608)
    #expect(options.attrTimeout == 7200 && options.entryTimeout == 1.5)
    #expect(options.notes.contains { $0.hasPrefix("nonempty") })
    #expect(options.sessionOptions.contains(",ro,") && options.sessionOptions.contains("allow_other"))
    #expect(!options.sessionOptions.contains("nonempty") && !options.sessionOptions.contains("allow_root"))
  }

  @Test func badValuesAreClearErrors() {
    #expect(throws: GooseFSError.self) { try FuseMountOptions.parse(["uid=alice"]) }
    #expect(throws: GooseFSError.self) { try FuseMountOptions.parse(["attr_timeout=-1"]) }
    #expect(throws: GooseFSError.self) { try FuseMountOptions.parse(["allow_other,allow_root"]) }
  }

  @Test func unknownOptionsGoToLibfuseAndTheTypeStaysFixed() throws {
    let options = try FuseMountOptions.parse(["fsname=other,noatime"])
    #expect(options.passThrough == ["noatime"])
    #expect(options.sessionOptions.hasPrefix("fsname=goosefs,subtype=goosefs-fuse"))
  }

  @Test func errorsMapOnceToErrno() {
    #expect(FuseErrno.code(for: GooseFSError.pathDoesNotExist("/x")) == ENOENT)
    #expect(FuseErrno.code(for: GooseFSError(.alreadyExists, "")) == EEXIST)
    #expect(FuseErrno.code(for: GooseFSError(.directoryNotEmpty, "")) == ENOTEMPTY)
    #expect(FuseErrno.code(for: GooseFSError(.permissionDenied, "")) == EACCES)
    #expect(FuseErrno.code(for: GooseFSError(.resourceExhausted, "")) == ENOSPC)
    #expect(FuseErrno.code(for: GooseFSError(.unavailable, "")) == EIO)
    #expect(FuseErrno.code(for: GooseFSError(.unimplemented, "")) == ENOTSUP)
    #expect(FuseErrno.code(for: CancellationError()) == EINTR)
  }
}

@Suite struct FuseLibraryTests {
  @Test func linksLibfuse3() {
    #expect(FuseLibrary.version.hasPrefix("3."))
  }
}
