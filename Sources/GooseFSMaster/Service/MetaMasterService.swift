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
      // Cluster data-path counters stay at zero until workers report them (worker issue).
      let cluster = [
        "Cluster.BytesReadLocal", "Cluster.BytesReadRemote", "Cluster.BytesReadUfsAll", "Cluster.BytesWrittenLocal",
        "Cluster.BytesWrittenUfsAll",
      ].map { MetricValue(name: $0, kind: .counter, value: 0) }
      let throughput = [
        "Cluster.BytesReadLocalThroughput", "Cluster.BytesReadRemoteThroughput", "Cluster.BytesReadUfsThroughput",
      ].map { MetricValue(name: $0, kind: .gauge, value: 0) }
      let workers = [
        MetricValue(name: "Cluster.Workers", kind: .gauge, value: 0),
        MetricValue(name: "Cluster.CapacityTotal", kind: .gauge, value: 0),
        MetricValue(name: "Cluster.CapacityUsed", kind: .gauge, value: 0),
      ]
      let metrics = cluster + throughput + workers + master.namespaceMetrics()
      return .with { $0.metrics = metrics.map(\.proto) }
    }
  }
}
