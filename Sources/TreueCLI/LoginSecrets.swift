import ArgumentParser
import Foundation
import TreueCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads login secrets from a file or the environment, never from the command line, and
/// refuses a secret file others can read.
enum LoginSecrets {
    static let environmentVariable = "TREUE_LOGIN_SECRET"

    static func load(file: String?) throws -> [String] {
        if let file {
            var info = stat()
            guard stat(file, &info) == 0 else { throw ValidationError("cannot read login secret file '\(file)'") }
            if info.st_mode & 0o004 != 0 {
                throw ValidationError("login secret file '\(file)' is world-readable; run: chmod 600 '\(file)'")
            }
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read login secret file '\(file)'")
            }
            let secrets = LoginTokenVerifier.parseSecrets(text)
            guard !secrets.isEmpty else { throw ValidationError("login secret file '\(file)' holds no secret") }
            return secrets
        }
        if let value = ProcessInfo.processInfo.environment[environmentVariable], !value.isEmpty {
            return LoginTokenVerifier.parseSecrets(value)
        }
        return []
    }
}
