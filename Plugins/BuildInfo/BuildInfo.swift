import Foundation
import PackagePlugin

/// Writes `BuildInfo.swift` before every build: the commit the sources were built from
/// (`git describe --always --dirty`), or "unknown" outside a git checkout.
@main struct BuildInfo: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("BuildInfo.swift")
        let repository = context.package.directoryURL.path
        // Written only when it changes, so that an unchanged commit rebuilds nothing.
        let script = """
            commit=$(git -C "$1" describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
            text="/// The commit podbench was built from (written by the BuildInfo plugin).
            public let buildCommit = \\"$commit\\""
            [ "$(cat "$2" 2>/dev/null)" = "$text" ] || printf '%s\\n' "$text" > "$2"
            """
        return [.prebuildCommand(displayName: "BuildInfo: the commit", executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script, "sh", repository, output.path], outputFilesDirectory: context.pluginWorkDirectoryURL)]
    }
}
