import Foundation
import TreueCore

/// What both fuzz targets share: the shipped knowledge base and customer directory,
/// loaded once per process, and a few helpers that turn fuzz bytes into inputs.
public enum Fixtures {
    /// The repository root: `TREUE_ROOT`, else found from this file's location
    /// (Fuzz/Sources/FuzzSupport/Fixtures.swift).
    public static let root: String = {
        if let root = ProcessInfo.processInfo.environment["TREUE_ROOT"], !root.isEmpty { return root }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The shipped knowledge base (`Intents/`), with the server's default match limit.
    public static let knowledgeBase: KnowledgeBase = {
        let directory = ProcessInfo.processInfo.environment["TREUE_INTENTS"] ?? root + "/Intents"
        let (kb, diagnostics) = KnowledgeBase.load(directory: directory)
        guard let kb else {
            let errors = diagnostics.filter { $0.severity == .error }.prefix(5).map(\.description)
            fatalError("fuzz fixture: cannot load the knowledge base in \(directory): \(errors)")
        }
        return kb
    }()

    public static let directory: CustomerDirectory = {
        let path = root + "/Customers/demo.csv"
        do {
            return try CustomerDirectory.load(path: path, phases: knowledgeBase.phases)
        } catch {
            fatalError("fuzz fixture: cannot load \(path): \(error)")
        }
    }()

    public static let secrets = ["fuzz-secret-old", "fuzz-secret-current"]
    public static let demoIdentity = IdentityPolicy(directory: directory)
    public static let verifiedIdentity = IdentityPolicy(directory: directory, verifier: LoginTokenVerifier(secrets: secrets))

    public static let redactor: Redactor = {
        do { return try Redactor() } catch { fatalError("fuzz fixture: redactor rules do not compile: \(error)") }
    }()

    /// Splits raw bytes into lines the way the server's line decoder does (LF ends a line,
    /// a CR before it is dropped, a last line without LF still counts), at most `limit`.
    public static func lines(_ bytes: UnsafeRawBufferPointer, limit: Int = 64) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        let all = Array(bytes)
        var start = 0
        for (index, byte) in all.enumerated() where byte == 10 {
            var end = index
            if end > start, all[end - 1] == 13 { end -= 1 }
            lines.append(all[start..<end])
            start = index + 1
            if lines.count >= limit { return lines }
        }
        if start < all.count { lines.append(all[start...]) }
        return lines
    }

    /// Stops the fuzzer with a message: a broken invariant is a finding like a crash.
    public static func violated(_ what: String, input: String) -> Never {
        let shown = input.count > 300 ? String(input.prefix(300)) + "…" : input
        fatalError("invariant violated: \(what)\ninput: \(shown.debugDescription)")
    }
}

@_silgen_name("__lsan_disable") private func lsanDisable()
@_silgen_name("__lsan_enable") private func lsanEnable()

extension Fixtures {
    /// Builds the process-wide fixtures with LeakSanitizer looking away. Swift packs
    /// class references into enum payloads with tag bits (`Data`, `String` storage, …),
    /// which LeakSanitizer cannot recognize as pointers, so objects owned by a global
    /// would be reported as leaked. Call from `LLVMFuzzerInitialize`; leaks inside
    /// `LLVMFuzzerTestOneInput` are still found.
    public static func prepare(_ build: () -> Void) {
        lsanDisable()
        _ = knowledgeBase
        _ = directory
        _ = demoIdentity
        _ = verifiedIdentity
        _ = redactor
        build()
        lsanEnable()
    }
}
