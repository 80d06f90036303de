import Foundation
import Testing

/// The house as Package.swift draws it: every module a target imports is listed as its
/// dependency, and the command line's only door is Kit.
@Suite struct PackageManifestTests {
    /// The checkout this file is in.
    static let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Modules of the platform and the toolchain, which no target lists.
    static let platform: Set<String> = [
        "Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationXML", "Glibc", "Musl", "Dispatch",
        "Synchronization", "System", "Testing",
    ]

    /// A target of Package.swift: its name, its source directory and the modules it lists.
    struct Target {
        var name: String
        var path: String
        var dependencies: Set<String>
    }

    /// The targets with sources, read from Package.swift's text: each `.target`,
    /// `.executableTarget` and `.testTarget` up to the next declaration.
    static func targets() throws -> [Target] {
        let manifest = try String(contentsOf: root.appending(path: "Package.swift"), encoding: .utf8)
        let declaration = /\.(target|executableTarget|testTarget|plugin|systemLibrary)\(\s*name:\s*"([^"]+)"/
        let matches = manifest.matches(of: declaration)
        return matches.enumerated().compactMap { index, match -> Target? in
            let kind = match.output.1
            guard kind != "plugin", kind != "systemLibrary" else { return nil }
            let end = index + 1 < matches.count ? matches[index + 1].range.lowerBound : manifest.endIndex
            let body = manifest[match.range.upperBound..<end]
            let name = String(match.output.2)
            let path = body.firstMatch(of: /path:\s*"([^"]+)"/).map { String($0.output.1) } ?? (kind == "testTarget" ? "Tests/" : "Sources/") + name
            guard let list = body.firstMatch(of: /dependencies:\s*\[((?:[^\[\]]|\[[^\]]*\])*)\]/)?.output.1 else {
                return Target(name: name, path: path, dependencies: [])
            }
            let product = /\.product\(name:\s*"([^"]+)"[^)]*\)/
            let products = list.matches(of: product).map { String($0.output.1) }
            let named = list.replacing(product, with: "").matches(of: /"([^"]+)"/).map { String($0.output.1) } + products
            return Target(name: name, path: path, dependencies: Set(named))
        }
    }

    /// The modules the Swift files under `path` import (`import X`, `@testable import X`,
    /// `import struct X.Y`).
    static func imports(under path: String) throws -> [String: Set<String>] {
        let directory = root.appending(path: path)
        var found: [String: Set<String>] = [:]
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@") {
                if let match = line.wholeMatch(of: /(?:@\w+ )*import (?:(?:struct|enum|class|protocol|func|typealias|var|let) )?(\w+).*/) {
                    found[String(match.output.1), default: []].insert(file.lastPathComponent)
                }
            }
        }
        return found
    }

    @Test func everyModuleATargetImportsIsItsDependency() throws {
        let targets = try Self.targets()
        #expect(targets.count > 20, "Package.swift's targets were not found")
        for target in targets {
            let imported = try Self.imports(under: target.path)
            for (module, files) in imported where !Self.platform.contains(module) && module != target.name {
                #expect(target.dependencies.contains(module), "\(target.name) imports \(module) (\(files.sorted().joined(separator: ", "))) but Package.swift does not list it")
            }
        }
    }

    @Test func theCommandLineImportsKitAndTheArgumentParserOnly() throws {
        let podbench = try #require(try Self.targets().first { $0.name == "podbench" })
        #expect(podbench.dependencies == ["PodbenchKit", "ArgumentParser"])
        #expect(Set(try Self.imports(under: podbench.path).keys) == ["PodbenchKit", "ArgumentParser"])
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.root.appending(path: podbench.path).path)
        let lines = try files.reduce(0) { sum, file in
            sum + (try String(contentsOf: Self.root.appending(path: podbench.path).appending(path: file), encoding: .utf8)).split(separator: "\n", omittingEmptySubsequences: false).count - 1
        }
        #expect(lines <= 800, "the command line is \(lines) lines: its work belongs in Kit")
    }
}
