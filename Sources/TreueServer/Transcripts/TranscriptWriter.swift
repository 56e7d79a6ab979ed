import CoreMetrics
import Foundation
import NIOConcurrencyHelpers
import TreueCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one component that writes transcripts. Callers hand it encoded records. With
/// `--fsync always` a writer thread appends everything queued meanwhile with one `write`
/// and one `fsync` (group commit), then reports back to every waiting caller at once.
/// Without an fsync to wait for, records are written at once on the caller's thread: a
/// hand-off to another thread and back would cost more than the `write` itself.
public final class TranscriptWriter: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var directory: String
        public var instance: String?
        public var sync: TranscriptSyncPolicy
        /// 0600 by default; 0640 lets a log-reading group in.
        public var fileMode: mode_t

        public init(directory: String, instance: String? = nil, sync: TranscriptSyncPolicy = .always,
                    fileMode: mode_t = 0o600) {
            self.directory = directory
            self.instance = instance
            self.sync = sync
            self.fileMode = fileMode
        }
    }

    public typealias Completion = @Sendable (Result<Void, TranscriptWriteError>) -> Void

    private struct Entry {
        let day: String
        let bytes: [UInt8]
        let completion: Completion?
        /// Lines in `bytes`, for the records-per-group-commit histogram.
        var records: Int { bytes.reduce(0) { $1 == 10 ? $0 + 1 : $0 } }
    }

    public let configuration: Configuration
    private let metrics: ServerMetrics
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [Entry] = []
    private var closing = false
    private var finished = false
    // File state, guarded by `fileLock`. Callers batch their records (one call per event
    // loop tick, see `TranscriptTickBuffer`), so even inline writes are few.
    private let fileLock = NSLock()
    private var stopped = false
    private var openDay: String?
    private var openPath = ""
    private var descriptor: Int32 = -1
    private var lastSync = Date.distantPast
    private var dirty = false
    private var thread: Thread?
    /// The last write failed (cleared by the next one that succeeds): `/healthz` reports it.
    private let failing = NIOLockedValueBox(false)

    /// Creates the directory if needed and starts the writer thread.
    public init(configuration: Configuration, metrics: ServerMetrics = .disabled) throws(TranscriptWriteError) {
        self.configuration = configuration
        self.metrics = metrics
        let directory = configuration.directory
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            if mkdir(directory, configuration.fileMode == 0o600 ? 0o700 : 0o750) != 0 {
                throw .directory(path: directory, .current(path: directory))
            }
        } else if !isDirectory.boolValue {
            throw .directory(path: directory, .notADirectory)
        }
        if access(directory, W_OK) != 0 {
            throw .directory(path: directory, .current(path: directory))
        }
        // In a directory anyone may write to, anyone can plant a day file (or a symlink in
        // its place) before Treue opens it, or delete transcripts.
        var info = stat()
        if stat(configuration.directory, &info) == 0, info.st_mode & 0o002 != 0 {
            throw .worldWritable(path: configuration.directory)
        }
        let thread = Thread { [self] in self.run() }
        thread.name = "treue-transcripts"
        self.thread = thread
        thread.start()
    }

    /// Queues records (each already one JSON line without the newline) for the day file of
    /// `day` (`YYYY-MM-DD`). `completion` runs on the writer thread once they are stored
    /// as the sync policy promises.
    public func append(lines: [[UInt8]], day: String, completion: Completion?) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
        for line in lines {
            bytes.append(contentsOf: line)
            bytes.append(10)
        }
        append(bytes: bytes, day: day, completion: completion)
    }

    /// Queues whole lines, each ending in a newline. With `--fsync always`, `completion`
    /// runs on the writer thread after the group's fsync; with the other policies the
    /// bytes are written before this returns and `completion` runs on the caller's thread.
    public func append(bytes: [UInt8], day: String, completion: Completion?) {
        guard configuration.sync == .always else {
            let result = appendNow(bytes: bytes, day: day)
            completion?(result)
            return
        }
        condition.lock()
        guard !closing else {
            condition.unlock()
            completion?(.failure(.closed))
            return
        }
        queue.append(Entry(day: day, bytes: bytes, completion: completion))
        condition.signal()
        condition.unlock()
    }

    /// Writes whole lines on the caller's thread, for the policies that wait for no fsync.
    private func appendNow(bytes: [UInt8], day: String) -> Result<Void, TranscriptWriteError> {
        guard !bytes.isEmpty else { return .success(()) }
        fileLock.lock()
        let failure = stopped ? TranscriptWriteError.closed : append(bytes, day: day)
        fileLock.unlock()
        record(failure)
        return failure.map { .failure($0) } ?? .success(())
    }

    /// Writes what is queued, syncs, and stops the thread. Safe to call more than once.
    public func close() {
        condition.lock()
        closing = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    /// Whether the last write failed; a later success clears it.
    public var lastWriteFailed: Bool { failing.withLockedValue { $0 } }

    private func record(_ failure: TranscriptWriteError?) {
        if failure != nil { metrics.transcriptWriteFailures.increment() }
        failing.withLockedValue { $0 = failure != nil }
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !closing {
                // Wake at least once a second for batch syncs.
                _ = condition.wait(until: Date(timeIntervalSinceNow: 1))
                if queue.isEmpty { break }
            }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            let stop = closing && batch.isEmpty
            condition.unlock()

            if !batch.isEmpty { write(batch) }
            housekeeping()
            if stop { break }
        }
        fileLock.lock()
        stopped = true
        if descriptor >= 0 {
            if dirty && configuration.sync != .never { fsync(descriptor) }
            systemClose(descriptor)
            descriptor = -1
        }
        fileLock.unlock()
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    private func write(_ batch: [Entry]) {
        fileLock.lock()
        var failure: TranscriptWriteError?
        var start = 0
        // Entries arrive in order; consecutive ones for the same day share one write.
        while start < batch.count {
            var end = start
            var bytes: [UInt8] = []
            while end < batch.count, batch[end].day == batch[start].day {
                bytes.append(contentsOf: batch[end].bytes)
                end += 1
            }
            if failure == nil { failure = append(bytes, day: batch[start].day) }
            start = end
        }
        if failure == nil, configuration.sync == .always, descriptor >= 0 {
            let start = metrics.isEnabled ? DispatchTime.now().uptimeNanoseconds : 0
            if fsync(descriptor) != 0 { failure = .sync(path: openPath, .current(path: openPath)) }
            if metrics.isEnabled {
                metrics.fsyncDuration.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
                metrics.groupCommitRecords.record(batch.reduce(0) { $0 + $1.records })
            }
            dirty = false
            lastSync = Date()
        }
        fileLock.unlock()
        record(failure)
        let result: Result<Void, TranscriptWriteError> = failure.map { .failure($0) } ?? .success(())
        for entry in batch { entry.completion?(result) }
    }

    private func append(_ bytes: [UInt8], day: String) -> TranscriptWriteError? {
        if openDay != day || descriptor < 0 {
            if let error = open(day: day) { return error }
        }
        var offset = 0
        let before = lseek(descriptor, 0, SEEK_END)
        let error: TranscriptWriteError? = bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let written = systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return .write(path: openPath, .current(path: openPath))
                }
                offset += written
            }
            return nil
        }
        if error == nil { metrics.transcriptBytes.increment(by: bytes.count) }
        if error != nil {
            // Take back what part of the batch got written: the customer is told it was not
            // stored, and the file must not keep a torn line in its middle.
            if before >= 0 { _ = ftruncate(descriptor, before) }
            systemClose(descriptor)
            descriptor = -1
        }
        dirty = true
        return error
    }

    private func open(day: String) -> TranscriptWriteError? {
        if descriptor >= 0 {
            if dirty && configuration.sync != .never { fsync(descriptor) }
            systemClose(descriptor)
            descriptor = -1
        }
        let path = (configuration.directory as NSString).appendingPathComponent(
            TranscriptClock.fileName(day: Substring(day), instance: configuration.instance))
        // O_NOFOLLOW: a symlink planted as a day file is refused, never followed. Create
        // exclusively first, so Treue knows whether the file is its own: the mode is set
        // only on files Treue created, never on one someone else put there.
        var created = true
        var fd = systemOpen(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, configuration.fileMode)
        if fd < 0, errno == EEXIST {
            created = false
            fd = systemOpen(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        }
        guard fd >= 0 else {
            return .open(path: path, errno == ELOOP ? .symbolicLink : .current(path: path))
        }
        var size = stat()
        guard fstat(fd, &size) == 0, size.st_mode & S_IFMT == S_IFREG else {
            systemClose(fd)
            return .open(path: path, .notARegularFile)
        }
        if created {
            // The umask may have narrowed the mode given to open.
            fchmod(fd, configuration.fileMode)
        }
        // After a crash the last line may be torn: start our records on a line of their own.
        if size.st_size > 0 {
            var last: UInt8 = 0
            let readFD = systemOpen(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            if readFD >= 0 {
                if pread(readFD, &last, 1, size.st_size - 1) == 1, last != 10 {
                    var newline: UInt8 = 10
                    _ = systemWrite(fd, &newline, 1)
                }
                systemClose(readFD)
            }
        }
        if created {
            // The new file's directory entry must survive a crash too.
            let directoryFD = systemOpen(configuration.directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if directoryFD >= 0 { fsync(directoryFD); systemClose(directoryFD) }
        }
        descriptor = fd
        openDay = day
        openPath = path
        return nil
    }

    private func housekeeping() {
        fileLock.lock()
        if configuration.sync == .batch, dirty, descriptor >= 0, Date().timeIntervalSince(lastSync) >= 1 {
            fsync(descriptor)
            dirty = false
            lastSync = Date()
        }
        fileLock.unlock()
    }
}

// The C library's calls under names that no method of the writer shadows, on Linux and macOS.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
private func systemClose(_ fd: Int32) { _ = close(fd) }
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
