import ArgumentParser
import PodbenchKit

/// The report files `run` writes at its end.
struct ReportFileOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("At the end, write the run's HTML report.", valueName: "file"))
    var html: String?

    @Option(name: .long, help: ArgumentHelp("At the end, write the run's JUnit XML.", valueName: "file"))
    var junit: String?

    @Option(name: .long, help: ArgumentHelp("At the end, write the run's Markdown summary.", valueName: "file"))
    var markdown: String?

    @Option(name: .long, help: ArgumentHelp("At the end, write the run's series in OpenMetrics with each sample's time, for promtool tsdb create-blocks-from openmetrics.", valueName: "file"))
    var openmetrics: String?

    @Option(name: .long, help: ArgumentHelp("At the end, write the run's series in the Prometheus text format without timestamps, for node_exporter's textfile collector.", valueName: "file"))
    var prometheus: String?

    @Option(name: .long, help: ArgumentHelp("At the end, push each run of the matrix to this Prometheus Pushgateway (http://host:9091), to a group of its own: job, runtime, runtime_class, placement and host.", valueName: "url"))
    var pushgateway: String?

    @Option(name: .long, help: ArgumentHelp("Last, write FILE holding the JUnit file's path: the done file sonobuoy's worker waits for (docs/sonobuoy). Needs --junit; a run that cannot be carried out leaves a JUnit file saying why.", valueName: "file"))
    var doneFile: String?

    @Flag(name: .long, help: ArgumentHelp("Run as a sonobuoy plugin: write JUnit, HTML, JSON and a copy of the database into sonobuoy's results directory ($SONOBUOY_RESULTS_DIR, else /tmp/sonobuoy/results), then its done file naming that directory; post progress to $SONOBUOY_PROGRESS_PORT after each scenario (docs/sonobuoy)."))
    var sonobuoy = false

    var flags: ReportFileFlags {
        var flags = ReportFileFlags()
        flags.html = html
        flags.junit = junit
        flags.markdown = markdown
        flags.openmetrics = openmetrics
        flags.prometheus = prometheus
        flags.pushgateway = pushgateway
        flags.doneFile = doneFile
        flags.sonobuoy = sonobuoy
        return flags
    }

    func validate() throws {
        try usage(flags.validate)
    }
}
