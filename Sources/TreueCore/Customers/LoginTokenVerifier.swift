import Crypto
import Foundation

/// Checks login tokens the shop's backend issued: `EXP.HEX` with
/// `HEX = hex(HMAC-SHA256(secret, "ID.EXP"))`. Several secrets may be active at once so
/// keys can be rotated without downtime.
public struct LoginTokenVerifier: Sendable {
    private let secrets: [Data]

    public init(secrets: [String]) {
        self.secrets = secrets.map { Data($0.utf8) }
    }

    /// Reads one secret per line; blank lines and `#` comments are ignored.
    public static func parseSecrets(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// The secrets of a configured source (a file or the environment variable). A source
    /// that is set but blank, whitespace or comments only is refused: the operator meant
    /// to configure a secret, and demo mode would let anyone log in as any customer.
    public static func requiredSecrets(_ text: String, source: String) throws(LoginSecretError) -> [String] {
        let secrets = parseSecrets(text)
        guard !secrets.isEmpty else {
            throw LoginSecretError(message: "\(source) holds no secret (only blank lines or # comments); "
                + "set a secret, or remove it entirely to run in demo mode")
        }
        return secrets
    }

    public var isEmpty: Bool { secrets.isEmpty }

    /// True when the token is well formed, unexpired and signed by any active secret.
    /// Expired and wrong tokens are indistinguishable to the caller.
    public func verify(customerID: String, token: String, now: Date = Date()) -> Bool {
        let parts = token.split(separator: ".", maxSplits: 1)
        // A malformed token still costs one HMAC per key, like a well-formed one.
        let wellFormed = parts.count == 2 && Int64(parts[0]) != nil && parts[1].utf8.count == 64
        let signature = (wellFormed ? Self.bytes(fromHex: parts[1]) : nil) ?? Data(repeating: 0, count: 32)
        let expiry = wellFormed ? Int64(parts[0]) ?? 0 : 0
        let message = Data("\(customerID).\(parts.first ?? "")".utf8)
        var valid = false
        for secret in secrets {
            let key = SymmetricKey(data: secret)
            // Every key is tried, and each check is constant-time, so timing tells nothing.
            if HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: message, using: key) { valid = true }
        }
        return wellFormed && valid && expiry > Int64(now.timeIntervalSince1970)
    }

    /// Produces a token, as the shop's backend would (for tests and `treue token`).
    public static func makeToken(customerID: String, expiry: Int64, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(customerID).\(expiry)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "\(expiry)." + mac.map { String(format: "%02x", $0) }.joined()
    }

    private static func bytes(fromHex hex: Substring) -> Data? {
        var data = Data(capacity: hex.utf8.count / 2)
        var high: UInt8?
        for byte in hex.utf8 {
            let value: UInt8
            switch byte {
            case 48...57: value = byte - 48
            case 97...102: value = byte - 87
            default: return nil
            }
            if let h = high { data.append(h << 4 | value); high = nil } else { high = value }
        }
        return data
    }
}
