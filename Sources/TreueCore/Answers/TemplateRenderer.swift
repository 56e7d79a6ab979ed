/// Renders template text that was not parsed in advance (tests, tools). The conversation
/// uses the knowledge base's parsed `Template`s.
public enum TemplateRenderer {
    /// The rendered text, or nil when a required field is unknown.
    public static func render(_ template: String, fields: (String) -> String?) -> String? {
        Template(template).render(fields)
    }

    /// The field names a template refers to (for `treue check`).
    public static func fieldNames(in template: String) -> [(name: String, hasDefault: Bool, optional: Bool)] {
        Template(template).fields
    }
}
