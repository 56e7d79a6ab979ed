import Foundation
import TreueCore

/// Deletes this instance's transcript files whose day is older than the retention period.
/// Only names `YYYY-MM-DD.jsonl` (no instance) or `YYYY-MM-DD.NAME.jsonl` (instance NAME)
/// are touched, so instances sharing a folder each keep their own files.
public enum TranscriptRetention {
    @discardableResult
    public static func apply(directory: String, instance: String?, retainDays: Int, now: Date) -> [String] {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        let cutoff = TranscriptClockDay.string(for: now.addingTimeInterval(-Double(retainDays) * 86_400))
        var deleted: [String] = []
        for file in files.sorted() where file.hasSuffix(".jsonl") {
            let day = file.prefix(10)
            guard isDay(String(day)), day < cutoff, file == TranscriptClock.fileName(day: day, instance: instance) else { continue }
            let path = (directory as NSString).appendingPathComponent(file)
            if (try? FileManager.default.removeItem(atPath: path)) != nil { deleted.append(file) }
        }
        return deleted
    }

    static func isDay(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 45, bytes[7] == 45 else { return false }
        return bytes.enumerated().allSatisfy { index, byte in index == 4 || index == 7 || (byte >= 48 && byte <= 57) }
    }
}

/// The UTC day of a date as `YYYY-MM-DD`.
enum TranscriptClockDay {
    static func string(for date: Date) -> String {
        String(TranscriptClock.day(ofTimestamp: TranscriptClock().timestamp(date)))
    }
}
