import PodbenchSystem
import Testing

/// The edit distance "did you mean" suggestions are chosen by.
@Suite struct EditDistanceTests {
    @Test(arguments: [("", "", 0), ("abc", "abc", 0), ("tcp", "tpc", 1), ("kitten", "sitting", 3), ("ipc", "", 3), ("udp", "udp6", 1), ("ca", "abc", 3)])
    func theEditDistanceCountsInsertionsDeletionsSubstitutionsAndSwaps(_ a: String, _ b: String, _ expected: Int) {
        #expect(EditDistance.distance(a, b) == expected)
        #expect(EditDistance.distance(b, a) == expected)
    }
}
