import Foundation
import TreueCore
import TreueServer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads login secrets from a file or the environment, never from the command line, and
/// refuses a secret file others can read. A source that is present but blank fails closed.
enum LoginSecrets {
    static let environmentVariable = "TREUE_LOGIN_SECRET"

    /// The service agents' secrets (SPEC 4a): a separate secret, same rules.
    static let agentEnvironmentVariable = "TREUE_AGENT_SECRET"

    static func load(file: String?, environment: String = environmentVariable, what: String = "login secret file") throws(CommandFailure) -> [String] {
        if let file {
            var info = stat()
            guard stat(file, &info) == 0 else { throw .unreadable(what: what, path: file, reason: .current(path: file)) }
            if info.st_mode & 0o004 != 0 { throw .secretFileWorldReadable(path: file) }
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw .unreadable(what: what, path: file, reason: access(file, R_OK) != 0 ? .current(path: file) : .other(errno: EILSEQ))
            }
            return try required(text, source: "\(what) '\(file)'")
        }
        // Set at all (even to "", spaces or a comment) means the operator meant a secret.
        if let value = ProcessInfo.processInfo.environment[environment] {
            return try required(value, source: environment)
        }
        return []
    }

    /// Printed on standard error when no secret is configured at all.
    static let demoModeWarning = """
        warning: no login secret configured (--login-secret-file or \(environmentVariable)): \
        DEMO MODE, anyone can log in as any customer with /login ID. Never run it with a real CRM export.
        """

    private static func required(_ text: String, source: String) throws(CommandFailure) -> [String] {
        do {
            return try LoginTokenVerifier.requiredSecrets(text, source: source)
        } catch {
            throw .loginSecret(error)
        }
    }
}
