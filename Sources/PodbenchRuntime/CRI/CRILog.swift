/// A container's log file as the CRI writes it: a record a line, `TIME STREAM TAG TEXT`, where
/// STREAM is `stdout` or `stderr` and TAG begins with `P` for part of a line continued by the
/// stream's next record (lines over 16 KiB are split) or `F` for the end of one.
public enum CRILog {
    /// The two streams, each with its split lines joined.
    public static func streams(_ text: String) -> (standardOutput: String, standardError: String) {
        var output = "", error = ""
        for record in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = record.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count >= 3 else { continue }
            let text = fields.count == 4 ? fields[3] : ""
            let partial = fields[2].hasPrefix("P")
            switch fields[1] {
            case "stdout":
                output += text
                if !partial { output += "\n" }
            case "stderr":
                error += text
                if !partial { error += "\n" }
            default:
                continue
            }
        }
        return (output, error)
    }
}
