import Foundation

/// Turns SIGINT and SIGTERM into cancelling the run, so that pods are torn down and the run is
/// recorded as interrupted; a second signal ends podbench at once.
public final class SignalForwarder {
    private let sources: [any DispatchSourceSignal]

    public init<T>(cancelling task: Task<T, any Error>) {
        sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                if task.isCancelled { Foundation.exit(Podbench.ExitStatus.interrupted.rawValue) }
                task.cancel()
            }
            source.resume()
            return source
        }
    }

    public func stop() {
        sources.forEach { $0.cancel() }
    }
}
