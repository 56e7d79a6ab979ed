import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGTERM/SIGINT/SIGHUP and knowledge-base file changes into an async stream.
final class SignalWatcher: Sendable {
    enum Event: Sendable {
        case reload(String)
        case stop(String)
    }

    func events(polling watcher: KnowledgeBaseWatcher) -> AsyncStream<Event> {
        AsyncStream { continuation in
            let queue = DispatchQueue(label: "treue.signals")
            var sources: [any DispatchSourceSignal] = []
            for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT"), (SIGHUP, "SIGHUP")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler {
                    continuation.yield(number == SIGHUP ? .reload(name) : .stop(name))
                }
                source.resume()
                sources.append(source)
            }
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + 2, repeating: 2)
            timer.setEventHandler {
                if watcher.changed() { continuation.yield(.reload("file change")) }
            }
            timer.resume()
            nonisolated(unsafe) let retained = (sources, timer)
            continuation.onTermination = { _ in
                retained.0.forEach { $0.cancel() }
                retained.1.cancel()
            }
        }
    }
}
