/// `fs count`: exactly two lines with Java format `%-25s%-25s%-15s%n`. Fluid requires two
/// lines after trimming, the second being three integers (files, folders, bytes).
enum CountLines {
  static func format(files: Int64, folders: Int64, bytes: Int64, humanReadable: Bool) -> [String] {
    [
      row("File Count", "Folder Count", "Folder Size"),
      row(String(files), String(folders), humanReadable ? NumberText.size(bytes) : String(bytes)),
    ]
  }

  private static func row(_ a: String, _ b: String, _ c: String) -> String {
    Columns.left(a, 25) + Columns.left(b, 25) + Columns.left(c, 15)
  }
}
