import ArgumentParser
import Foundation
import PodbenchCore
import PodbenchKit
import PodbenchReport
import PodbenchRuntime

struct CleanupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanup",
        abstract: "Remove what interrupted runs left: podman pods and volumes by podbench's label, temporary directories.",
        discussion: "Runs still going keep what they use. Local pods need no more: their namespaces and IPC objects end with their processes, which stop at their deadline."
    )

    @Option(name: .long, help: "Which runtime's leftovers: local, podman, or all.")
    var runtime = "all"

    func validate() throws {
        guard ["all", "local", "podman"].contains(runtime) else { throw ValidationError("--runtime must be local, podman or all.") }
    }

    func run() async throws {
        let console = Console()
        var removed = Cleanup.temporaryDirectories()
        if runtime != "local" {
            try await withWorkDirectory(console) { work in
                removed += try await Cleanup.podman(Podman.configured(in: work))
            }
        }
        for line in removed { console.print("removed \(line)") }
        console.print("podbench: \(removed.isEmpty ? "nothing to remove" : "removed \(removed.count)")")
    }
}
