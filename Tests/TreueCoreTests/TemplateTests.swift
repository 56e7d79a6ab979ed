import Testing
@testable import TreueCore

/// Answer templates as an author writes them: fields with and without a default, optional
/// segments that drop out when a field inside is unknown, and text around them in any script.
struct TemplateTests {
    static let fields = ["name": "Jörg", "order": "#12345", "empty": ""]

    @Test(arguments: [
        // template, rendered (nil: a field outside an optional segment is unknown)
        ("Hallo {name}, Ihre Bestellung {order} ist vermerkt.", "Hallo Jörg, Ihre Bestellung #12345 ist vermerkt."),
        ("Grüße an { name }!", "Grüße an Jörg!"),
        ("Hallo {kunde|liebe Kundin}.", "Hallo liebe Kundin."),
        ("Hallo {name|liebe Kundin}.", "Hallo Jörg."),
        ("Hallo {empty|du} 😀", "Hallo du 😀"),
        ("Ihre Nummer: {missing}", nil),
        ("[[{name}, ]]schön, dass Sie da sind.", "Jörg, schön, dass Sie da sind."),
        ("[[{kunde}, ]]schön, dass Sie da sind.", "Schön, dass Sie da sind."),
        ("Danke[[ für {order}]] – bis bald.", "Danke für #12345 – bis bald."),
        ("Danke[[ für {bestellung}]] – bis bald.", "Danke – bis bald."),
        ("[[ohne Ende {name}", "[[ohne Ende Jörg"),
        ("eine {offene Klammer", "eine {offene Klammer"),
        ("ein ]] allein und [ einzeln ]", "ein ]] allein und [ einzeln ]"),
        ("Straße {order|–}, Größe {größe|M}", "Straße #12345, Größe M"),
        ("{name}{order}", "Jörg#12345"),
        ("", ""),
    ] as [(String, String?)])
    func rendersAsWritten(template: String, rendered: String?) {
        #expect(Template(template).render { Self.fields[$0] } == rendered)
    }

    @Test func listsItsFieldsForTheChecker() {
        let fields = Template("Hi {name}, [[{order|–} ]]{tier|}").fields
        #expect(fields.map(\.name) == ["name", "order", "tier"])
        #expect(fields.map(\.hasDefault) == [false, true, true])
        #expect(fields.map(\.optional) == [false, true, false])
    }
}

/// The byte search the loader uses for pattern syntax.
struct ByteSearchTests {
    @Test(arguments: [
        ("(?!x)\\Kabc", "\\K", true), ("abc", "\\K", false), ("a(*ACCEPT)", "(*ACCEPT", true), ("a(*ACCEP", "(*ACCEPT", false),
        ("(*", "(*", true), ("", "(*", false), ("x", "", false), ("größe(*", "(*", true), ("über", "ü", true), ("uber", "ü", false),
    ])
    func findsBytes(text: String, needle: String, found: Bool) {
        #expect(text.containsBytes(needle) == found)
        #expect(Substring(text).containsBytes(needle) == found)
    }
}
