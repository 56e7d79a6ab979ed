import NIOConcurrencyHelpers
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Refuses new sessions while the transcript file system has less free space than a
/// threshold, so the customers already chatting keep the room that is left (a full disk
/// answers every customer `unavailable`). Free space is asked of the kernel at most once
/// a second, whatever the connection rate.
public final class DiskSpaceGuard: Sendable {
    public let directory: String
    public let minimumFreeBytes: Int64
    private let freeBytes: @Sendable (String) -> Int64?
    private let state = NIOLockedValueBox<(checked: NIODeadline, room: Bool)>((.distantPast, true))

    public init(directory: String, minimumFreeBytes: Int64, freeBytes: @escaping @Sendable (String) -> Int64? = DiskSpaceGuard.freeBytes) {
        self.directory = directory
        self.minimumFreeBytes = minimumFreeBytes
        self.freeBytes = freeBytes
    }

    /// Whether a new session may start. `changed` is true when the answer differs from the
    /// last one (for one log line per change, not per connection).
    public func admit(now: NIODeadline = .now()) -> (room: Bool, changed: Bool) {
        guard minimumFreeBytes > 0 else { return (true, false) }
        return state.withLockedValue { state in
            guard now - state.checked >= .seconds(1) else { return (state.room, false) }
            // Unknown free space (statvfs failed) does not block: the write path still
            // refuses to answer when a write fails.
            let room = (freeBytes(directory) ?? Int64.max) >= minimumFreeBytes
            let changed = room != state.room
            state = (now, room)
            return (room, changed)
        }
    }

    /// Bytes available to an unprivileged writer on the directory's file system.
    public static func freeBytes(_ directory: String) -> Int64? {
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }
}
