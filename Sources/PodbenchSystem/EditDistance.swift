/// The nearest of some words to a mistyped one, for "did you mean" (in a scenario file, and
/// among the scenarios and tags a command line names).
public enum EditDistance {
    /// The known word fewest edits away from `word`, when it is close enough to be a typo of it
    /// (at most a third of its characters, and at least 2, are wrong), letter case aside. Between
    /// words as near, the one made of the same letters wins ('icp': 'ipc' rather than 'tcp').
    public static func nearest(to word: String, among known: [String]) -> String? {
        let limit = max(2, word.count / 3)
        let word = word.lowercased()
        return known.map { (word: $0, edits: distance(word, $0.lowercased()), letters: lettersApart(word, $0.lowercased())) }
            .filter { $0.edits <= limit }
            .min { ($0.edits, $0.letters) < ($1.edits, $1.letters) }?.word
    }

    /// Insertions, deletions, substitutions and swaps of two neighbours (the optimal string
    /// alignment distance).
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    /// How many letters one word has that the other lacks, and the other way round.
    private static func lettersApart(_ a: String, _ b: String) -> Int {
        var count: [Character: Int] = [:]
        for letter in a { count[letter, default: 0] += 1 }
        for letter in b { count[letter, default: 0] -= 1 }
        return count.values.reduce(0) { $0 + abs($1) }
    }
}
