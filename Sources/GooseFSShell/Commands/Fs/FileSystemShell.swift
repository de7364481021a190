/// `goosefs fs`: the file-system commands.
enum FileSystemShell {
  static let shell = SubShell(
    name: "fs",
    commands: [
      AttributeCommands.chgrp,
      AttributeCommands.chmod,
      AttributeCommands.chown,
      MetadataCommands.checkConsistency,
      CountCommand.spec,
      MetadataCommands.loadMetadata,
      LsCommand.spec,
      NamespaceCommands.mkdir,
      MountCommands.mount,
      NamespaceCommands.mv,
      AttributeCommands.pin,
      NamespaceCommands.rm,
      AttributeCommands.setTtl,
      StatCommand.spec,
      TestCommand.spec,
      NamespaceCommands.touch,
      MountCommands.unmount,
      AttributeCommands.unpin,
      AttributeCommands.unsetTtl,
    ]
  )
}
