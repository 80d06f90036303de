import Foundation
import PodbenchCore
import PodbenchTestSupport
import Testing

/// Mutated scenario files (a seeded generator, so a failure can be replayed): every mutant is
/// either a valid scenario or refused with positioned errors, quickly and without a crash.
@Suite struct LoaderFuzzTests {
    /// Fragments that have broken loaders: aliases, anchors, tags, nulls, huge numbers, odd
    /// characters, deep nesting.
    static let fragments = ["*a", "&a ", "{*a: 1}", "!!binary ", "!custom ", "null", "~", "0x10s", "99999999999999999999h", "-1", "\u{0}", "\u{202E}",
                            "\t", ": ", "- ", "[[[[[[[[[[", "{{{{{{{{", "'", "\"", "#", "? ", "|", ">", "%YAML 1.1\n", "---\n", "...\n",
                            "/proc/x", "/etc/passwd", "/usr/share/x", String(repeating: "a", count: 300), "1e400", ".nan", "\u{FEFF}"]

    static func mutate(_ text: String, _ random: inout SplitMix64) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let line = Int.random(in: 0..<lines.count, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0: lines.remove(at: line); if lines.isEmpty { lines = [""] }
            case 1: lines.insert(lines[line], at: line)
            case 2: lines.swapAt(line, Int.random(in: 0..<lines.count, using: &random))
            case 3:
                var characters = Array(lines[line])
                let at = Int.random(in: 0...characters.count, using: &random)
                characters.insert(contentsOf: fragments.randomElement(using: &random)!, at: at)
                lines[line] = String(characters)
            case 4:
                var characters = Array(lines[line])
                if !characters.isEmpty { characters.remove(at: Int.random(in: 0..<characters.count, using: &random)) }
                lines[line] = String(characters)
            default:
                lines[line] = lines[line].replacingOccurrences(of: ": ", with: ": " + fragments.randomElement(using: &random)! + " ")
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test func everyMutantIsValidOrRefusedWithPositionedErrors() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Scenarios").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        var random = SplitMix64(seed: 0x5eed)
        var refused = 0
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for index in 0..<60 {
                let mutant = Self.mutate(text, &random)
                let clock = ContinuousClock()
                let started = clock.now
                do {
                    _ = try ScenarioLoader.parse(mutant, file: file)
                } catch {
                    refused += 1
                    #expect(!error.errors.isEmpty, "\(file) mutant \(index): refused without a reason")
                    for problem in error.errors {
                        #expect(problem.file == file && !problem.message.isEmpty, "\(file) mutant \(index): \(problem)")
                        #expect(problem.description.utf8.count < 2_000, "\(file) mutant \(index): a message that repeats the input")
                    }
                }
                // A hang bound, not a speed target: a mutant takes milliseconds, exponential
                // alias expansion took minutes; the bound leaves room for two loaded cores.
                #expect(clock.now - started < .seconds(30), "\(file) mutant \(index) took \(clock.now - started):\n\(mutant)")
            }
        }
        #expect(refused > files.count * 10, "the mutations break most files")
    }
}
