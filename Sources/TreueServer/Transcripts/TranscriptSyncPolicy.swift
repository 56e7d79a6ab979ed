/// When transcript records reach the disk, traded against speed.
public enum TranscriptSyncPolicy: String, Sendable, CaseIterable {
    /// fsync before any reply is sent (group commit shares one fsync among all sessions
    /// that wrote meanwhile). Nothing a customer saw is lost in a crash. The default.
    case always
    /// Written before the reply is sent, fsynced at most once a second: a power cut may
    /// lose the last second; a crash of the process loses nothing.
    case batch
    /// Written before the reply is sent, never fsynced by Treue: the OS decides.
    case never
}
