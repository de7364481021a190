@testable import GooseFSUFS
import Testing

@Suite("S3 XML documents")
struct S3XMLTests {
  @Test func listObjectsV2WithURLEncoding() throws {
    let xml = """
      <?xml version="1.0" encoding="UTF-8"?>
      <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <Name>bucket</Name><Prefix>dir%2F</Prefix><KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys>
        <Delimiter>%2F</Delimiter><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
        <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
        <Contents><Key>dir%2F</Key><LastModified>2024-05-01T12:34:56.000Z</LastModified>
          <ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>0</Size><StorageClass>STANDARD</StorageClass></Contents>
        <Contents><Key>dir%2Fa+b%26c%E4%B8%AD.txt</Key><LastModified>2024-05-01T12:34:56.789Z</LastModified>
          <ETag>"9b2cf535f27731c974343645a3985328"</ETag><Size>1234</Size></Contents>
        <CommonPrefixes><Prefix>dir%2Fsub%20dir%2F</Prefix></CommonPrefixes>
      </ListBucketResult>
      """
    let page = try ListObjectsPage.parse(Array(xml.utf8))
    #expect(page.isTruncated)
    #expect(page.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
    #expect(page.objects.map(\.key) == ["dir/", "dir/a+b&c中.txt"])
    #expect(page.objects[1].size == 1234)
    #expect(page.objects[1].etag == "9b2cf535f27731c974343645a3985328")
    #expect(page.objects[0].etag == "d41d8cd98f00b204e9800998ecf8427e")
    #expect(page.objects[1].lastModified == 1_714_566_896_789)
    #expect(page.prefixes == ["dir/sub dir/"])
  }

  @Test func listingWithoutEncodingKeepsPercentSigns() throws {
    let xml = "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>100%25</Key><Size>1</Size></Contents></ListBucketResult>"
    let page = try ListObjectsPage.parse(Array(xml.utf8))
    #expect(page.objects.map(\.key) == ["100%25"])
    #expect(!page.isTruncated)
    #expect(page.nextContinuationToken == nil)
  }

  @Test func notAListing() {
    #expect(throws: ObjectStoreProtocolError.self) { try ListObjectsPage.parse(Array("<Error/>".utf8)) }
    #expect(throws: ObjectStoreProtocolError.self) { try ListObjectsPage.parse(Array("not xml".utf8)) }
  }

  @Test func errorDocument() {
    let xml = "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>x</BucketName></Error>"
    #expect(S3ErrorDocument.parse(Array(xml.utf8)) == S3ErrorDocument(code: "NoSuchBucket", message: "The specified bucket does not exist"))
    #expect(S3ErrorDocument.parse([]) == nil)
    #expect(S3ErrorDocument.parse(Array("<ListBucketResult/>".utf8)) == nil)
  }

  @Test func multipartDocuments() throws {
    let initiate = "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>abc-123</UploadId></InitiateMultipartUploadResult>"
    #expect(try MultipartDocuments.uploadID(Array(initiate.utf8)) == "abc-123")
    #expect(throws: ObjectStoreProtocolError.self) { try MultipartDocuments.uploadID(Array("<Error/>".utf8)) }
    let body = MultipartDocuments.completeBody([(2, "\"e2\""), (1, "\"e1\"")])
    #expect(body == "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;e1&quot;</ETag></Part>"
      + "<Part><PartNumber>2</PartNumber><ETag>&quot;e2&quot;</ETag></Part></CompleteMultipartUpload>")
    #expect(MultipartDocuments.deleteBody(["a&b", "<c>"]) == "<Delete><Quiet>true</Quiet><Object><Key>a&amp;b</Key></Object>"
      + "<Object><Key>&lt;c&gt;</Key></Object></Delete>")
    let result = "<DeleteResult><Deleted><Key>a</Key></Deleted><Error><Key>b</Key><Code>AccessDenied</Code><Message>no</Message></Error></DeleteResult>"
    let failures = MultipartDocuments.deleteFailures(Array(result.utf8))
    #expect(failures.count == 1)
    #expect(failures.first?.key == "b")
    #expect(failures.first?.code == "AccessDenied")
  }

  @Test func timestamps() {
    #expect(S3Timestamps.iso8601Milliseconds("1970-01-01T00:00:00Z") == 0)
    #expect(S3Timestamps.iso8601Milliseconds("2024-05-01T12:34:56.000Z") == 1_714_566_896_000)
    #expect(S3Timestamps.httpDateMilliseconds("Wed, 01 May 2024 12:34:56 GMT") == 1_714_566_896_000)
    #expect(S3Timestamps.httpDateMilliseconds("garbage") == 0)
    #expect(S3Timestamps.unquotedETag("\"abc-2\"") == "abc-2")
  }

  @Test func contentMD5() {
    // RFC 1321 test vector: MD5("abc") = 900150983cd24fb0d6963f7d28e17f72.
    #expect(ContentMD5.base64(of: Array("abc".utf8)) == "kAFQmDzST7DWlj99KOF/cg==")
    #expect(ContentMD5.base64(of: []) == "1B2M2Y8AsgTpgAmY7PhCfg==")
  }
}
