/// A login secret source that is configured but holds no usable secret. Treated as an
/// error at start: falling back to demo mode would let anyone log in as any customer.
public struct LoginSecretError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
