import Synchronization

/// A value set once and awaited by any number of tasks; a second `set` is ignored.
final class OneShot<Value: Sendable>: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Value, Never>])
        case set(Value)
    }

    private let state = Mutex(State.waiting([]))

    func set(_ value: Value) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value, Never>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .set(value)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    var value: Value {
        get async {
            await withCheckedContinuation { continuation in
                state.withLock { state in
                    switch state {
                    case .set(let value): continuation.resume(returning: value)
                    case .waiting(let waiters): state = .waiting(waiters + [continuation])
                    }
                }
            }
        }
    }

    /// The value if it is set, without waiting.
    var valueIfSet: Value? {
        state.withLock { state in
            guard case .set(let value) = state else { return nil }
            return value
        }
    }
}
