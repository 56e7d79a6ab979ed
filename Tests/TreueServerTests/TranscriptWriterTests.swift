import Foundation
import Testing
import TreueCore
@testable import TreueServer

struct TranscriptWriterTests {
    func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "treue-writer-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func appendAndWait(_ writer: TranscriptWriter, _ lines: [String], day: String) throws {
        let done = DispatchSemaphore(value: 0)
        let failed = NIOLockedFlag()
        writer.append(lines: lines.map { Array($0.utf8) }, day: day) { result in
            if case .failure = result { failed.set() }
            done.signal()
        }
        done.wait()
        #expect(!failed.value)
    }

    @Test func writesDayFilesWithPrivateModeAndInstanceName() throws {
        let directory = temporaryDirectory()
        let writer = try TranscriptWriter(configuration: .init(directory: directory, instance: "a"))
        try appendAndWait(writer, [#"{"n":1}"#, #"{"n":2}"#], day: "2026-11-26")
        writer.close()
        let path = directory + "/2026-11-26.a.jsonl"
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"n\":1}\n{\"n\":2}\n")
        let mode = try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
    }

    @Test func aWorldWritableDirectoryIsRefused() throws {
        let directory = temporaryDirectory()
        chmod(directory, 0o777)
        do {
            _ = try TranscriptWriter(configuration: .init(directory: directory))
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("world-writable"))
        }
    }

    @Test func aSymlinkedDayFileIsNeitherFollowedNorChmodded() throws {
        let directory = temporaryDirectory()
        let target = temporaryDirectory() + "/victim"
        try "keep\n".write(toFile: target, atomically: false, encoding: .utf8)
        chmod(target, 0o644)
        symlink(target, directory + "/2026-11-26.jsonl")
        let writer = try TranscriptWriter(configuration: .init(directory: directory, sync: .never))
        let failed = NIOLockedFlag()
        writer.append(lines: [Array(#"{"n":1}"#.utf8)], day: "2026-11-26") { result in
            if case .failure(let error) = result, error.message.contains("symbolic link") { failed.set() }
        }
        writer.close()
        #expect(failed.value)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep\n")
        let mode = try #require(FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int)
        #expect(mode == 0o644)
    }

    @Test func aDayFileSomeoneElseCreatedKeepsItsMode() throws {
        let directory = temporaryDirectory()
        let path = directory + "/2026-11-26.jsonl"
        try "{\"n\":0}\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o640)
        let writer = try TranscriptWriter(configuration: .init(directory: directory))
        try appendAndWait(writer, [#"{"n":1}"#], day: "2026-11-26")
        writer.close()
        let mode = try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o640)
    }

    @Test func appendsAfterATornLineOnANewLine() throws {
        let directory = temporaryDirectory()
        let path = directory + "/2026-11-26.jsonl"
        try "{\"n\":1}\n{\"n\":2,\"te".write(toFile: path, atomically: false, encoding: .utf8)
        let writer = try TranscriptWriter(configuration: .init(directory: directory))
        try appendAndWait(writer, [#"{"n":3}"#], day: "2026-11-26")
        writer.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.last == #"{"n":3}"#)
    }

    @Test func concurrentSessionsAllGetTheirRecordsStored() throws {
        let directory = temporaryDirectory()
        let writer = try TranscriptWriter(configuration: .init(directory: directory))
        let group = DispatchGroup()
        for session in 0..<8 {
            DispatchQueue.global().async(group: group) {
                for n in 0..<50 {
                    let done = DispatchSemaphore(value: 0)
                    writer.append(lines: [Array(#"{"s":\#(session),"n":\#(n)}"#.utf8)], day: "2026-11-26") { _ in done.signal() }
                    done.wait()
                }
            }
        }
        group.wait()
        writer.close()
        let lines = try String(contentsOfFile: directory + "/2026-11-26.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 400)
        #expect(Set(lines).count == 400)
    }

    @Test func retentionDeletesOnlyThisInstancesOldDayFiles() throws {
        let directory = temporaryDirectory()
        for name in ["2020-01-01.jsonl", "2020-01-02.b.jsonl", "2020-01-03.a.jsonl", "2026-11-25.b.jsonl", "notes.jsonl", "README.md"] {
            _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: Data())
        }
        let now = try Date("2026-11-26T12:00:00Z", strategy: .iso8601)
        let deleted = TranscriptRetention.apply(directory: directory, instance: "b", retainDays: 30, now: now)
        #expect(deleted == ["2020-01-02.b.jsonl"])
        let left = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(Set(left) == ["2020-01-01.jsonl", "2020-01-03.a.jsonl", "2026-11-25.b.jsonl", "notes.jsonl", "README.md"])
        // Without an instance name only the unnamed day files are this server's.
        #expect(TranscriptRetention.apply(directory: directory, instance: nil, retainDays: 30, now: now) == ["2020-01-01.jsonl"])
    }

    @Test func anUnwritableDirectoryIsRefusedAtStartWithItsReason() {
        #expect(throws: TranscriptWriteError.directory(path: "/proc/treue-cannot-exist", .missing)) {
            _ = try TranscriptWriter(configuration: .init(directory: "/proc/treue-cannot-exist"))
        }
        #expect(throws: TranscriptWriteError.directory(path: "/etc/hostname", .notADirectory)) {
            _ = try TranscriptWriter(configuration: .init(directory: "/etc/hostname"))
        }
    }
}

/// A flag set from a completion handler on the writer thread.
final class NIOLockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.lock(); flag = true; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}
