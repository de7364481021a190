import GRPCCore
import GooseFSCore
import GooseFSRPC

/// Cluster summary and metrics for `goosefs fsadmin report`.
struct MetaMasterService: Goosefs_Grpc_MetaMasterClientService.ServiceProtocol {
  let master: FileSystemMaster
  let info: @Sendable () -> MasterInfo

  func getMasterInfo(
    request: ServerRequest<Goosefs_Grpc_GetMasterInfoRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_GetMasterInfoResponse> {
    try await RPCHandling.unary(request) { _, _ in info().proto }
  }

  func getMetrics(
    request: ServerRequest<Goosefs_Grpc_GetMetricsRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_GetMetricsResponse> {
    try await RPCHandling.unary(request) { _, _ in
      let capacity = master.blockMaster.capacitySummary()
      let workers = [
        MetricValue(name: "Cluster.Workers", kind: .gauge, value: Double(capacity.live)),
        MetricValue(
          name: "Cluster.CapacityTotal", kind: .gauge, value: Double(capacity.tiers.reduce(0) { $0 + $1.capacityBytes })),
        MetricValue(name: "Cluster.CapacityUsed", kind: .gauge, value: Double(capacity.tiers.reduce(0) { $0 + $1.usedBytes })),
      ]
      let metrics = master.blockMaster.metrics.snapshot() + workers + master.namespaceMetrics()
      return .with { $0.metrics = metrics.map(\.proto) }
    }
  }

  func reportClientMetrics(
    request: ServerRequest<Goosefs_Grpc_ReportClientMetricsRequest>, context: ServerContext
  ) async throws -> ServerResponse<Goosefs_Grpc_ReportClientMetricsResponse> {
    try await RPCHandling.unary(request) { m, _ in
      master.blockMaster.metrics.add(m.counterDeltas)
      return Goosefs_Grpc_ReportClientMetricsResponse()
    }
  }
}
