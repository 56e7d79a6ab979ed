/// A customer as the CRM export describes them; every column is a template field.
public struct CustomerProfile: Sendable, Equatable {
    public let id: String
    public let phase: String
    public let fields: [String: String]

    public init(id: String, phase: String, fields: [String: String]) {
        self.id = id
        self.phase = phase
        self.fields = fields
    }
}
