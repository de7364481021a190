import Logging

/// One logger for the configuration module, so that messages about ignored options can be
/// filtered by label without threading a logger through pure parsing functions.
let configurationLogger = Logger(label: "goosefs.configuration")
