/// Runs work for many items with at most `limit` of them in flight, like Alluxio's copy thread
/// pool. Failures are the body's business: it reports and counts them, so one bad file never
/// stops the others.
enum BoundedConcurrency {
  static func forEach<Item: Sendable>(
    _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async -> Void
  ) async {
    await withTaskGroup(of: Void.self) { group in
      var next = 0
      while next < items.count && next < max(limit, 1) {
        let item = items[next]
        group.addTask { await body(item) }
        next += 1
      }
      while await group.next() != nil {
        guard next < items.count else { continue }
        let item = items[next]
        group.addTask { await body(item) }
        next += 1
      }
    }
  }
}
