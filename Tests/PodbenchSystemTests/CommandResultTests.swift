@testable import PodbenchSystem
import Testing

/// What a failed podman or kubectl call says: the command, its status, its last words.
@Suite struct CommandFailureTests {
    @Test func aFailureQuotesTheCommandItsStatusAndTheEndOfStandardError() {
        let result = CommandResult(status: 1, output: "pod/a-pb-1 created\n", error: (1...7).map { "line \($0)" }.joined(separator: "\n") + "\n")
        #expect(result.failure(of: ["kubectl", "--context", "my cluster", "apply", "-f", "-"])
            == "`kubectl --context 'my cluster' apply -f -` exited 1: line 3 / line 4 / line 5 / line 6 / line 7")
    }

    @Test func withNothingOnStandardErrorStandardOutputIsQuoted() {
        #expect(CommandResult(status: 125, output: "Error: no such pod\n", error: "  \n").failure(of: ["podman", "wait", "x"]) == "`podman wait x` exited 125: Error: no such pod")
        #expect(CommandResult(status: 137, output: "", error: "").failure(of: ["podman"]) == "`podman` exited 137")
    }

    @Test(arguments: [("plain-arg_1.2", "plain-arg_1.2"), ("", "''"), ("it's", #"'it'\''s'"#), ("{{.Name}}", "'{{.Name}}'"), ("a b", "'a b'")])
    func argumentsAreQuotedAsAShellReadsThemBack(_ argument: String, _ quoted: String) {
        #expect(CommandResult.quoted(argument) == quoted)
    }

    @Test func aCommandThatFailsThrowsWithItsWords() async throws {
        await #expect {
            try await CommandResult.check("/bin/sh", ["-c", "echo to-out; echo to-err >&2; exit 3"], "show a failure")
        } throws: { error in
            let error = try #require(error as? RuntimeError)
            return error.message == "/bin/sh could not show a failure" && error.cause == "`/bin/sh -c 'echo to-out; echo to-err >&2; exit 3'` exited 3: to-err"
        }
    }
}
