import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The order service's bearer token (`--orders-url`), from a file or the environment,
/// never from the command line; an empty or world-readable file fails closed.
enum OrderServiceToken {
    static let environmentVariable = "TREUE_ORDERS_TOKEN"

    static func load(file: String?) throws(CommandFailure) -> String {
        let text: String
        let source: String
        if let file {
            var info = stat()
            guard stat(file, &info) == 0, let read = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw .orderService("cannot read order service token file '\(file)'")
            }
            if info.st_mode & 0o004 != 0 {
                throw .orderService("order service token file '\(file)' is world-readable; run: chmod 600 '\(file)'")
            }
            text = read
            source = "order service token file '\(file)'"
        } else if let value = ProcessInfo.processInfo.environment[environmentVariable] {
            text = value
            source = environmentVariable
        } else {
            throw .orderService("--orders-url needs a token: --orders-token-file PATH or the environment variable \(environmentVariable)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw .orderService("\(source) is empty") }
        guard token.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 }) else {
            throw .orderService("\(source) must hold one token of printable ASCII without spaces")
        }
        return token
    }
}
