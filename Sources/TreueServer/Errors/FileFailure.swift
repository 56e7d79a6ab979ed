#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file or folder could not be used, in the terms an operator acts on: create it,
/// fix its permissions, or free disk space.
public enum FileFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case missing
    case permissionDenied
    case diskFull
    case notADirectory
    case readOnlyFileSystem
    /// Refused on purpose: a symbolic link where a file of ours belongs.
    case symbolicLink
    case notARegularFile
    case other(errno: Int32)

    public init(errno code: Int32) {
        switch code {
        case ENOENT: self = .missing
        case EACCES, EPERM: self = .permissionDenied
        case ENOSPC, EDQUOT: self = .diskFull
        case ENOTDIR: self = .notADirectory
        case EROFS: self = .readOnlyFileSystem
        default: self = .other(errno: code)
        }
    }

    /// The failure `errno` describes right now (call it straight after the failing call).
    /// `path` is for the caller's message only.
    public static func current(path: String) -> FileFailure { FileFailure(errno: errno) }

    public var description: String {
        switch self {
        case .missing: "no such file or directory"
        case .permissionDenied: "permission denied"
        case .diskFull: "no space left on the device"
        case .notADirectory: "not a directory"
        case .readOnlyFileSystem: "read-only file system"
        case .symbolicLink: "it is a symbolic link"
        case .notARegularFile: "not a regular file"
        case let .other(code): String(cString: strerror(code))
        }
    }
}
