@testable import PodbenchRuntime
import Testing

/// The CRI log format as containerd writes it: a record a line, lines over 16 KiB split into
/// partial (`P`) records that must be joined, the two streams interleaved.
@Suite struct CRILogTests {
    @Test func partialRecordsAreJoinedAndTheStreamsKeptApart() {
        let record = "{\"podbench\":\"metric\",\"values\":[[1,2]]}"
        let half = record.count / 2
        let log = """
            2026-12-02T02:29:45.000000001Z stdout P \(record.prefix(half))
            2026-12-02T02:29:45.000000002Z stderr F a warning
            2026-12-02T02:29:45.000000003Z stdout F \(record.dropFirst(half))
            2026-12-02T02:29:45.000000004Z stdout F Produced: f4
            2026-12-02T02:29:45.000000005Z stdout F 
            """
        let streams = CRILog.streams(log)
        #expect(streams.standardOutput == record + "\nProduced: f4\n\n")
        #expect(streams.standardError == "a warning\n")
    }

    @Test func aLineCutOffByTheEndStaysUnfinished() {
        #expect(CRILog.streams("2026-12-02T02:29:45Z stdout P {\"pod").standardOutput == "{\"pod")
    }

    @Test func quantitiesAreReadAsKubernetesWritesThem() {
        #expect(CRIPodConfig.millicores("1") == 1000 && CRIPodConfig.millicores("50m") == 50)
        #expect(CRIPodConfig.bytes("256Mi") == 256 << 20 && CRIPodConfig.bytes("32Mi") == 32 << 20 && CRIPodConfig.bytes("1Gi") == 1 << 30)
    }
}
