import ArgumentParser
import PodbenchKit

/// `podbench version`: what `--version` says, the build named.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Show podbench's version, the commit it was built from and its compiler.")

    func run() {
        PodbenchVersion.show()
    }
}
