import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams records from transcript files (JSON Lines) in bounded memory: each file is read
/// in fixed-size chunks, split at newlines and decoded line by line with one reused
/// `JSONDecoder`. Malformed lines and a torn last line (what a crash leaves behind) are
/// counted and skipped, never fatal.
public struct TranscriptReader: Sendable {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notFound(String)
        case unreadable(path: String, errno: Int32)
        case badDate(String)

        public var description: String {
            switch self {
            case let .notFound(path): "no transcript directory or file at '\(path)'"
            case let .unreadable(path, code): "cannot read '\(path)': \(String(cString: strerror(code)))"
            case let .badDate(text): "'\(text)' is not a date (YYYY-MM-DD) or an ISO 8601 timestamp (YYYY-MM-DDTHH:MM:SSZ)"
            }
        }
    }

    /// Which record timestamps to keep. Bounds are canonical record timestamps
    /// (`YYYY-MM-DDTHH:MM:SS.mmmZ`, as the writer produces them), so a record is tested by
    /// comparing text, without parsing its date.
    public struct TimeRange: Sendable, Equatable {
        /// Inclusive lower bound.
        public var since: String?
        /// Upper bound; inclusive for a full timestamp, exclusive (next midnight) for a day.
        public var until: String?
        public var untilInclusive: Bool

        public static let all = TimeRange(since: nil, until: nil, untilInclusive: true)

        public init(since: String?, until: String?, untilInclusive: Bool) {
            self.since = since
            self.until = until
            self.untilInclusive = untilInclusive
        }

        /// Parses `--since`/`--until`: a day (`2025-03-01`, the whole day) or a full ISO 8601
        /// timestamp with a zone (`2025-03-01T14:00:00Z`, `…+01:00`, fractions allowed).
        public init(since: String?, until: String?) throws(Failure) {
            self.since = try since.map { text throws(Failure) in try Self.bound(text, endOfDay: false).0 }
            if let until {
                let (bound, isDay) = try Self.bound(until, endOfDay: true)
                self.until = bound
                untilInclusive = !isDay
            } else {
                self.until = nil
                untilInclusive = true
            }
        }

        public func contains(_ ts: String) -> Bool {
            if let since, ts < since { return false }
            if let until { return untilInclusive ? ts <= until : ts < until }
            return true
        }

        /// Whether a file holding only the records of `day` (`YYYY-MM-DD`) can have any in range.
        public func mayContain(day: Substring) -> Bool {
            if let since, day < since.prefix(10) { return false }
            if let until {
                let start = day + "T00:00:00.000Z"
                return untilInclusive ? start <= until : start < until
            }
            return true
        }

        private static let canonical = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

        /// The canonical timestamp for `text`, and whether `text` was a bare day.
        private static func bound(_ text: String, endOfDay: Bool) throws(Failure) -> (String, Bool) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if let day = dayStart(trimmed) {
                let date = endOfDay ? day.addingTimeInterval(86_400) : day
                return (canonical.format(date), true)
            }
            let styles = [Date.ISO8601FormatStyle(includingFractionalSeconds: true), Date.ISO8601FormatStyle()]
            for style in styles {
                if let date = try? style.parse(trimmed) { return (canonical.format(date), false) }
            }
            throw .badDate(text)
        }

        private static func dayStart(_ text: String) -> Date? {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard text.utf8.count == 10, parts.count == 3,
                  let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
                  (1...12).contains(month), (1...31).contains(day) else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .gmt
            let components = DateComponents(year: year, month: month, day: day)
            guard let date = calendar.date(from: components),
                  calendar.component(.day, from: date) == day else { return nil }
            return date
        }
    }

    /// What a read saw, for the report's footnotes.
    public struct Statistics: Sendable, Equatable, Codable {
        public var files = 0
        public var bytes = 0
        /// Non-empty lines, decoded or not.
        public var lines = 0
        /// Records decoded and within the time range.
        public var records = 0
        /// Lines that were not a valid record (garbage, unknown type, over-long), skipped.
        public var malformed = 0
        /// Unterminated, undecodable last lines of a file (a write cut short by a crash), skipped.
        public var torn = 0
        /// Records outside `--since`/`--until`.
        public var outOfRange = 0
        /// Files skipped by name because their day is outside `--since`/`--until`.
        public var filesSkipped = 0

        public init() {}
    }

    /// Directories (all their `*.jsonl` files) or single files.
    public let paths: [String]
    public let range: TimeRange
    public var chunkSize = 1 << 20
    /// Lines longer than this are counted as malformed and skipped without buffering them.
    public var maxLineLength = 8 << 20

    public init(paths: [String], range: TimeRange = .all) {
        self.paths = paths
        self.range = range
    }

    /// The files to read, in order: per path, `*.jsonl` sorted by name, which is by day.
    public func files() throws(Failure) -> [String] {
        var result: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound(path) }
            guard isDirectory.boolValue else {
                result.append(path)
                continue
            }
            guard let names = try? manager.contentsOfDirectory(atPath: path) else { throw .unreadable(path: path, errno: errno) }
            result += names.filter { $0.hasSuffix(".jsonl") && !$0.hasPrefix(".") }.sorted()
                .map { (path as NSString).appendingPathComponent($0) }
        }
        return result
    }

    /// Full records, in file order.
    public func forEach(containing needle: String? = nil, _ body: (TranscriptRecord) throws -> Void) throws -> Statistics {
        try forEach(TranscriptRecord.self, timestamp: \.ts, containing: needle, body)
    }

    /// Records decoded as `Record` (a slimmer view decodes faster), in file order.
    /// - Parameter needle: when set, lines whose bytes do not contain it are passed over
    ///   undecoded (and uncounted), which makes finding one session cheap.
    public func forEach<Record: Decodable>(_ type: Record.Type, timestamp: (Record) -> String, containing needle: String? = nil,
                                           _ body: (Record) throws -> Void) throws -> Statistics {
        var statistics = Statistics()
        let decoder = JSONDecoder()
        let needleBytes = needle.map { Array($0.utf8) }
        var buffer = Data(count: chunkSize)
        for file in try files() {
            let name = (file as NSString).lastPathComponent
            if Self.isDay(name.prefix(10)), !range.mayContain(day: name.prefix(10)) {
                statistics.filesSkipped += 1
                continue
            }
            statistics.files += 1
            try readFile(file, buffer: &buffer, statistics: &statistics) { chunk, line, isLast, statistics in
                if let needleBytes, !Self.contains(chunk, line, needleBytes) { return }
                statistics.lines += 1
                guard let record = try? decoder.decode(Record.self, from: chunk[line]) else {
                    if isLast { statistics.torn += 1 } else { statistics.malformed += 1 }
                    return
                }
                guard range.contains(timestamp(record)) else {
                    statistics.outOfRange += 1
                    return
                }
                statistics.records += 1
                try body(record)
            }
        }
        return statistics
    }

    /// Calls `line` with the buffer and byte range of each non-blank line (without its line
    /// break); `isLast` marks an unterminated final line. `buffer` is reused across files.
    private func readFile(_ path: String, buffer: inout Data, statistics: inout Statistics,
                          line: (Data, Range<Int>, Bool, inout Statistics) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure.unreadable(path: path, errno: errno) }
        defer { close(descriptor) }
        var start = 0 // first byte not yet consumed
        var end = 0 // one past the last byte read
        var scanned = 0 // bytes before this have no newline
        var discarding = false // inside an over-long line
        while true {
            if end == buffer.count {
                if start > 0 {
                    let count = end - start
                    buffer.withUnsafeMutableBytes { bytes in
                        guard let base = bytes.baseAddress else { return }
                        memmove(base, base + start, count)
                    }
                    scanned -= start
                    end = count
                    start = 0
                } else if buffer.count < maxLineLength {
                    buffer.count = min(buffer.count * 2, maxLineLength)
                } else {
                    statistics.malformed += 1
                    discarding = true
                    start = 0
                    end = 0
                    scanned = 0
                }
            }
            let capacity = buffer.count - end
            let count = buffer.withUnsafeMutableBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return 0 }
                return read(descriptor, base + end, capacity)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure.unreadable(path: path, errno: errno)
            }
            if count == 0 {
                if !discarding, let range = Self.trimmed(buffer, start..<end) { try line(buffer, range, true, &statistics) }
                return
            }
            statistics.bytes += count
            end += count
            while let newline = Self.newline(in: buffer, scanned..<end) {
                if discarding {
                    discarding = false
                } else if let range = Self.trimmed(buffer, start..<newline) {
                    try line(buffer, range, false, &statistics)
                }
                start = newline + 1
                scanned = start
            }
            scanned = end
            if discarding {
                start = end
            }
        }
    }

    private static func newline(in buffer: Data, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty else { return nil }
        return buffer.withUnsafeBytes { bytes -> Int? in
            guard let base = bytes.baseAddress,
                  let hit = memchr(base + range.lowerBound, 10, range.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }
    }

    /// `range` without surrounding blanks and CR, or nil when nothing is left.
    private static func trimmed(_ buffer: Data, _ range: Range<Int>) -> Range<Int>? {
        buffer.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Range<Int>? in
            var lower = range.lowerBound
            var upper = range.upperBound
            func isBlank(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 13 }
            while lower < upper, isBlank(bytes[lower]) { lower += 1 }
            while upper > lower, isBlank(bytes[upper - 1]) { upper -= 1 }
            return lower < upper ? lower..<upper : nil
        }
    }

    /// Whether the line holds `needle`: memchr for its first byte, memcmp for the rest
    /// (memmem is a GNU extension the Glibc module does not export).
    private static func contains(_ buffer: Data, _ range: Range<Int>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        return buffer.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            needle.withUnsafeBytes { (pattern: UnsafeRawBufferPointer) in
                guard let base = bytes.baseAddress, let patternBase = pattern.baseAddress else { return false }
                var position = range.lowerBound
                while range.upperBound - position >= pattern.count {
                    guard let hit = memchr(base + position, Int32(first), range.upperBound - position - pattern.count + 1) else { return false }
                    if memcmp(hit, patternBase, pattern.count) == 0 { return true }
                    position = base.distance(to: UnsafeRawPointer(hit)) + 1
                }
                return false
            }
        }
    }

    /// `YYYY-MM-DD` at the start of a file name.
    static func isDay(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10 else { return false }
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 7 { if byte != UInt8(ascii: "-") { return false } }
            else if !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { return false }
        }
        return true
    }
}
