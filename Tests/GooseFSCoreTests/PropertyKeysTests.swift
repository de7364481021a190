import Foundation
import Testing

@testable import GooseFSCore

@Suite("Property registry")
struct PropertyKeysTests {
  @Test func namesAreUniqueAndFindable() {
    let names = PropertyKeys.all.map(\.name)
    #expect(Set(names).count == names.count)
    for key in PropertyKeys.all {
      #expect(PropertyKeys.find(key.name) == key)
      #expect(!key.description.isEmpty)
    }
  }

  @Test func everyDefaultHasItsKeysForm() throws {
    let defaults = Configuration(properties: [:])
    for key in PropertyKeys.all {
      guard let value = defaults.value(key) else { continue }
      #expect(key.type.accepts(value), "default of \(key.name) is \(value)")
    }
  }

  @Test func registeredSecretsAreSecret() {
    for key in PropertyKeys.all where key.isSecret {
      #expect(Configuration.isSecret(key.name))
    }
    #expect(PropertyKeys.all.contains { $0.isSecret })
  }

  @Test func documentationMentionsEveryKey() throws {
    let path = ConfigurationTestSupport.documentationPath
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let missing = PropertyKeys.all.map(\.name).filter { !text.contains("`\($0)`") }
    #expect(missing.isEmpty, "not in \(path): \(missing)")
  }
}
