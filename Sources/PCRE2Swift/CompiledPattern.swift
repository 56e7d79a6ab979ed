import CPCRE2

/// A PCRE2 pattern compiled (and JIT-compiled where the platform allows) once, then
/// shared by every thread: PCRE2's compiled code is read-only during matching, and all
/// mutable state lives in the `MatchScratch` each caller brings.
public final class CompiledPattern: @unchecked Sendable {
    public let source: String
    public let captureCount: Int
    /// Named groups and their numbers, as PCRE2 assigned them.
    public let groupNames: [(name: String, number: Int)]
    public let isJITCompiled: Bool
    let code: OpaquePointer

    public init(_ source: String, options: CompileOptions = .chat) throws(PCRE2CompileError) {
        var errorCode: Int32 = 0
        var errorOffset = 0
        let compiled: OpaquePointer? = source.utf8CString.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UInt8.self) { bytes in
                pcre2_compile_8(bytes.baseAddress, buffer.count - 1, options.rawValue,
                                &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw PCRE2CompileError(message: PCRE2Library.message(for: errorCode),
                                    offset: errorOffset, code: errorCode)
        }
        code = compiled
        self.source = source
        isJITCompiled = pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0

        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
        groupNames = Self.readNameTable(compiled)
    }

    deinit { pcre2_code_free_8(code) }

    /// Matches a Swift string, which is always valid UTF-8, so PCRE2's UTF check is skipped.
    /// `startOffset` is a UTF-8 offset; one inside a character moves on to the next
    /// character, since the JIT, told the subject is valid, would read past the end.
    public func firstMatch(in subject: String, from startOffset: Int = 0, scratch: MatchScratch) -> MatchOutcome {
        var subject = subject
        return subject.withUTF8 { bytes in
            var start = max(0, startOffset)
            while start < bytes.count, bytes[start] & 0xC0 == 0x80 { start += 1 }
            guard start <= bytes.count else { return .noMatch }
            return run(bytes, from: start, options: PCRE2_NO_UTF_CHECK, scratch: scratch)
        }
    }

    /// Matches raw bytes from the outside world; invalid UTF-8 is reported, never matched.
    public func firstMatch(inBytes subject: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) -> MatchOutcome {
        run(subject, from: 0, options: 0, scratch: scratch)
    }

    private func run(_ subject: UnsafeBufferPointer<UInt8>, from startOffset: Int, options: UInt32, scratch: MatchScratch) -> MatchOutcome {
        // An empty buffer may have no base address; PCRE2 needs a valid pointer.
        let empty: UInt8 = 0
        let rc: Int32 = withUnsafePointer(to: empty) { fallback in
            // Valid UTF-8 goes straight to the JIT code: pcre2_match's checks are for
            // subjects that need them (the JIT never checks UTF-8 itself).
            isJITCompiled && options == PCRE2_NO_UTF_CHECK
                ? pcre2_jit_match_8(code, subject.baseAddress ?? fallback, subject.count, startOffset, 0,
                                    scratch.matchData, scratch.context)
                : pcre2_match_8(code, subject.baseAddress ?? fallback, subject.count, startOffset, options,
                                scratch.matchData, scratch.context)
        }
        if rc == PCRE2_ERROR_NOMATCH { return .noMatch }
        if rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT
            || rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT {
            return .limitExceeded
        }
        if rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21 { return .invalidSubject }
        if rc < 0 { return .failed(code: rc, message: PCRE2Library.message(for: rc)) }

        let ovector = pcre2_get_ovector_pointer_8(scratch.matchData)!
        let pairs = Int(pcre2_get_ovector_count_8(scratch.matchData))
        let whole = ovector[0]..<ovector[1]
        var groups: [Range<Int>?] = []
        if captureCount > 0 {
            groups.reserveCapacity(captureCount)
            for group in 1...captureCount {
                // An unset group reads PCRE2_UNSET, which imports as -1.
                if group < pairs, ovector[2 * group] >= 0, ovector[2 * group] <= ovector[2 * group + 1] {
                    groups.append(ovector[2 * group]..<ovector[2 * group + 1])
                } else {
                    groups.append(nil)
                }
            }
        }
        var mark: String?
        if let markPointer = pcre2_get_mark_8(scratch.matchData) {
            // A mark is preceded by its length in one code unit.
            let length = Int(markPointer[-1])
            mark = String(decoding: UnsafeBufferPointer(start: markPointer, count: length), as: UTF8.self)
        }
        return .match(PatternMatch(range: whole, groups: groups, mark: mark))
    }

    /// The number of the named group, if the pattern has one of that name.
    public func groupNumber(named name: String) -> Int? {
        groupNames.first { $0.name == name }?.number
    }

    private static func readNameTable(_ code: OpaquePointer) -> [(name: String, number: Int)] {
        var count: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>?
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &count)
        guard count > 0 else { return [] }
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        guard let table else { return [] }
        var names: [(String, Int)] = []
        for index in 0..<Int(count) {
            let entry = table + index * Int(entrySize)
            let number = Int(entry[0]) << 8 | Int(entry[1])
            var length = 0
            while length < Int(entrySize) - 2, entry[2 + length] != 0 { length += 1 }
            let name = String(decoding: UnsafeBufferPointer(start: entry + 2, count: length), as: UTF8.self)
            names.append((name, number))
        }
        return names
    }
}
