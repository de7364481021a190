import GooseFSRPC

/// The master connection lives in GooseFSRPC (the worker uses it too); clients of this module
/// reach it under its usual name without importing the RPC layer.
public typealias MasterConnection = GooseFSRPC.MasterConnection
