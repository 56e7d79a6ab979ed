/// How `/login` is handled: the customer directory, and the token verifier when a login
/// secret is configured. Without a secret the server runs in demo mode.
public struct IdentityPolicy: Sendable {
    public let directory: CustomerDirectory
    public let verifier: LoginTokenVerifier?
    /// Whether an order source is configured: order intents then ask it for facts under
    /// the access rules of SPEC 5a, instead of giving only the general answer.
    public let answersFromOrders: Bool

    public init(directory: CustomerDirectory, verifier: LoginTokenVerifier? = nil, answersFromOrders: Bool = false) {
        self.directory = directory
        self.answersFromOrders = answersFromOrders
        self.verifier = (verifier?.isEmpty ?? true) ? nil : verifier
    }

    /// Demo mode: logins are taken on trust, `/phase NAME` and `/why` work.
    public var isDemoMode: Bool { verifier == nil }
}
