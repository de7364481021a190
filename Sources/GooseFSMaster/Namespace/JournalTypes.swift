import GooseFSRPC

// Short names for the journal's protobuf messages used throughout the master.
typealias InodeRecord = Goosefs_Journal_InodeRecord
typealias MountRecord = Goosefs_Journal_MountRecord
typealias JournalEntry = Goosefs_Journal_JournalEntry
typealias NamespaceCheckpoint = Goosefs_Journal_Checkpoint
typealias ClusterInfoRecord = Goosefs_Journal_ClusterInfo
