import Foundation

/// Which web pages may open a chat WebSocket: a browser sends the page's origin with the
/// upgrade request, so another site cannot make its visitors' browsers chat (and log in)
/// through Treue. Requests without an Origin header come from programs, not browsers,
/// and are allowed (they could use the TCP port as well).
public struct OriginPolicy: Sendable {
    /// Allowed origins (`https://shop.example`, `http://127.0.0.1:8080`), compared without
    /// case and without a trailing slash; `*` allows every origin.
    public let allowed: Set<String>

    public init(allowed: [String]) {
        self.allowed = Set(allowed.map(Self.normalised))
    }

    /// The listener's own page (served with `--web-root`) when no origin is configured.
    public static func ownPages(port: Int) -> OriginPolicy {
        OriginPolicy(allowed: ["http://127.0.0.1:\(port)", "http://localhost:\(port)", "http://[::1]:\(port)"])
    }

    public func allows(_ origin: String?) -> Bool {
        guard let origin else { return true }
        return allowed.contains("*") || allowed.contains(Self.normalised(origin))
    }

    static func normalised(_ origin: String) -> String {
        var text = origin.trimmingCharacters(in: .whitespaces).lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
