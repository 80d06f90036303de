/// Polls `condition` until it holds or `limit` has passed on the clock, whatever each poll
/// costs (a scan of /proc on a loaded machine takes tens of milliseconds: a count of polls
/// is no deadline). Returns whether it held.
public func eventually(within limit: Duration, every pause: Duration = .milliseconds(10), _ condition: () throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + limit
    while true {
        if try condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try await Task.sleep(for: pause)
    }
}
