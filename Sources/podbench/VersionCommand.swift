import ArgumentParser
import PodbenchBuildInfo
import PodbenchSystem

/// `podbench version`: what `--version` says, the build named.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Show podbench's version, the commit it was built from and its compiler.")

    /// `0.1.0 (commit 1a2b3c4d5e6f, Swift 6.3)`.
    static var text: String { "\(Podbench.version) (commit \(buildCommit), \(buildCompiler))" }

    func run() {
        Console().print("podbench \(Self.text)")
    }
}
