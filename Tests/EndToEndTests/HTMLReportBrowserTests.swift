import Foundation
import PodbenchCore
import PodbenchStore
import PodbenchTestSupport
import Testing

/// The HTML report in a real browser: headless Chromium (Debian package `chromium`, installed
/// by scripts/setup-debian) loads it and takes a screenshot.
@Suite struct HTMLReportBrowserTests {
    /// Where the screenshots stay after the run, for a person to look at.
    static let artifacts = buildDirectory.deletingLastPathComponent().appendingPathComponent("podbench-test-artifacts")

    /// A database with a baseline, nightly noise and a last run that is slower and fails a
    /// check: every section of the report has something to show.
    func reportDatabase(in scratch: Scratch) throws -> String {
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let store = try ResultStore(path: db)
        let scenarios = try ScenarioLoader.load(paths: [repository.appendingPathComponent("Scenarios").path])
            .filter { ["ipc-message-queue", "shared-volume", "localhost-tcp"].contains($0.name) }
        var history = SyntheticHistory(seed: 2)
        for night in 0..<8 {
            let id = try history.writeRun(scenarios, to: store, fingerprint: SyntheticHistory.fingerprint, startedAt: Date().addingTimeInterval(Double(night - 8) * 86_400), slowdown: 1 + Double(night % 3) * 0.03, count: 500)
            if night == 0 { try store.setBaseline(runId: id) }
        }
        let runId = try store.beginRun(runtime: "local", host: "synthetic", fingerprint: SyntheticHistory.fingerprint)
        try store.save(history.result(of: scenarios[0], slowdown: 2, failing: [scenarios[0].expectations[0].check], count: 500), runId: runId)
        for scenario in scenarios.dropFirst() { try store.save(history.result(of: scenario, count: 500), runId: runId) }
        try store.finishRun(runId, status: .failed)
        return db
    }

    /// `podbench report --html` of `reportDatabase`: the file, and what it holds.
    func renderedReport(in scratch: Scratch, sourceLocation: SourceLocation = #_sourceLocation) async throws -> (path: String, page: String) {
        let db = try reportDatabase(in: scratch)
        let html = scratch.url.appendingPathComponent("report.html").path
        let report = try await podbenchRun(["report", "--db", db, "--html", html])
        #expect(report.status == 0, "\(report.error)", sourceLocation: sourceLocation)
        return (html, try String(contentsOfFile: html, encoding: .utf8))
    }

    /// Loads `file` in headless Chromium, `width` pixels wide, dark or light; its console
    /// messages (script errors, blocked content) and whether the screenshot was written.
    func browse(_ file: String, screenshot: URL, width: Int = 1280, dark: Bool = false, in scratch: Scratch) async throws -> (consoleLines: [String], status: Int32) {
        let chromium = try #require(["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }, "Chromium is missing: run scripts/setup-debian")
        let result = try await runCommand(chromium, [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
            "--user-data-dir=\(scratch.url.appendingPathComponent("profile").path)",
            "--enable-logging=stderr", "--v=0", "--window-size=\(width),2400",
            "--screenshot=\(screenshot.path)", URL(fileURLWithPath: file).absoluteString,
        ] + (dark ? ["--force-dark-mode"] : []))
        return (result.error.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") }, result.status)
    }

    /// Screenshots at a desktop's width, a phone's and in dark mode, kept in
    /// `.build/podbench-test-artifacts` for a person to look at (docs/reports.md, HTML).
    @Test func chromiumShowsTheReportWithNoConsoleErrorsAtEveryWidthAndInDarkMode() async throws {
        let scratch = try Scratch()
        let (html, page) = try await renderedReport(in: scratch)
        #expect(page.contains("id=\"overview\"") && page.contains("id=\"conformance\"") && page.contains("id=\"trends\"") && page.contains("id=\"comparison\""))
        #expect(page.components(separatedBy: "<svg").count - 1 >= 10, "percentile and trend charts")
        for load in ["src=", "<link", "@import", "url(", "<script"] {
            #expect(!page.contains(load), "self-contained: nothing to fetch, nothing to run")
        }

        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        var shots: [String: Data] = [:]
        for (name, width, dark) in [("report-desktop", 1280, false), ("report-phone", 390, false), ("report-dark", 1280, true)] {
            let screenshot = Self.artifacts.appendingPathComponent("\(name).png")
            try? FileManager.default.removeItem(at: screenshot)
            let browsed = try await browse(html, screenshot: screenshot, width: width, dark: dark, in: scratch)
            #expect(browsed.status == 0)
            #expect(browsed.consoleLines.isEmpty, "\(name): \(browsed.consoleLines)")
            let png = try Data(contentsOf: screenshot)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            #expect(png.count > 20_000, "\(name): a rendered page, not a blank one")
            shots[name] = png
        }
        #expect(shots["report-dark"] != shots["report-desktop"], "dark mode is drawn in its own colours")
    }

    /// Printed, the report keeps what the screen folds away: Chromium's PDF of it, read back
    /// by pdftotext (Debian package `poppler-utils`), holds the environment fingerprint and the
    /// unchanged metrics, both in closed `<details>`.
    @Test func thePrintedReportShowsTheFoldedSections() async throws {
        let scratch = try Scratch()
        let (html, page) = try await renderedReport(in: scratch)
        #expect(page.contains("<details><summary>Environment fingerprint</summary>") && page.contains("unchanged metrics</summary>"), "both are folded on screen")

        let chromium = try #require(["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }, "Chromium is missing: run scripts/setup-debian")
        let pdftotext = try #require(["/usr/bin/pdftotext"].first { FileManager.default.isExecutableFile(atPath: $0) }, "pdftotext is missing (Debian package poppler-utils): run scripts/setup-debian")
        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        let pdf = Self.artifacts.appendingPathComponent("report.pdf")
        try? FileManager.default.removeItem(at: pdf)
        let printed = try await runCommand(chromium, [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer",
            "--user-data-dir=\(scratch.url.appendingPathComponent("profile").path)",
            "--print-to-pdf=\(pdf.path)", URL(fileURLWithPath: html).absoluteString,
        ])
        #expect(printed.status == 0, "\(printed.error)")
        let text = try await runCommand(pdftotext, ["-layout", pdf.path, "-"])
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.contains("Synthetic CPU × 2"), "the fingerprint table")
        #expect(text.output.contains("cpu unlimited, memory unlimited"), "the fingerprint table")
        #expect(text.output.contains("within"), "the unchanged metrics' reasons (\"p50 +1.2% within 10% tolerance\")")
        #expect(text.output.contains("unchanged metrics"))
        #expect(text.output.contains("IPC · ") && text.output.contains("ipc-message-queue · sysv.round-trip"), "the charts folded by family are printed")
    }

    /// The console check catches what it is there for: a script the page's policy blocks.
    @Test func aScriptSmuggledIntoTheReportShowsUpOnTheConsole() async throws {
        let scratch = try Scratch()
        let db = try reportDatabase(in: scratch)
        let html = scratch.url.appendingPathComponent("report.html").path
        _ = try await podbenchRun(["report", "--db", db, "--html", html])
        let tampered = try String(contentsOfFile: html, encoding: .utf8).replacingOccurrences(of: "</body>", with: "<script>document.title='x'</script></body>")
        try tampered.write(toFile: html, atomically: true, encoding: .utf8)
        let browsed = try await browse(html, screenshot: scratch.url.appendingPathComponent("t.png"), in: scratch)
        #expect(browsed.consoleLines.contains { $0.contains("Content Security Policy") })
    }
}
