import PodbenchProbeInterface
import Testing

/// Signals as reports name them (issue 27, finding 2: "exited 135" said nothing).
@Suite struct SignalTextTests {
    @Test func aSignalIsNamedWithWhatItUsuallyMeans() {
        #expect(SignalText.describe(9) == "9 (SIGKILL)")
        #expect(SignalText.describe(7) == "7 (SIGBUS: a bus error: memory mapped from a file that could not be backed, /dev/shm or the volume full?)")
        #expect(SignalText.describe(64) == "64")
    }

    @Test func anExitStatusOf128PlusASignalIsReadAsThatSignal() {
        #expect(SignalText.asExitStatus(135) == "(128 + 7: SIGBUS: a bus error: memory mapped from a file that could not be backed, /dev/shm or the volume full?)")
        #expect(SignalText.asExitStatus(137) == "(128 + 9: SIGKILL)")
        #expect(SignalText.asExitStatus(1) == nil)
        #expect(SignalText.asExitStatus(128) == nil)
    }
}
