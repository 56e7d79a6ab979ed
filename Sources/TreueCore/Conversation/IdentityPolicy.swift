/// How `/login` is handled: the customer directory, and the token verifier when a login
/// secret is configured. Without a secret the server runs in demo mode.
public struct IdentityPolicy: Sendable {
    public let directory: CustomerDirectory
    public let verifier: LoginTokenVerifier?

    public init(directory: CustomerDirectory, verifier: LoginTokenVerifier? = nil) {
        self.directory = directory
        self.verifier = (verifier?.isEmpty ?? true) ? nil : verifier
    }

    /// Demo mode: logins are taken on trust, `/phase NAME` and `/why` work.
    public var isDemoMode: Bool { verifier == nil }
}
