import PodbenchBuildInfo
import PodbenchSystem

/// What `podbench version` and `--version` say.
public enum PodbenchVersion {
    /// `0.1.0 (commit 1a2b3c4d5e6f, Swift 6.3)`.
    public static var text: String { "\(Podbench.version) (commit \(buildCommit), \(buildCompiler))" }

    /// Prints `podbench` and the text.
    public static func show() {
        Console().print("podbench \(text)")
    }
}
