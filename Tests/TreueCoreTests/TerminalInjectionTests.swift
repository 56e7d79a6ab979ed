import Foundation
import Testing
@testable import TreueCore

/// Escape sequences from customers or the CRM never reach an operator's terminal as they
/// are, and no unmatched message reaches a spreadsheet as a formula.
struct TerminalInjectionTests {
    static let hostile = [
        "\u{1B}[2J\u{1B}[H cleared",                          // clear screen
        "\u{1B}]0;owned\u{07}title",                          // OSC 0 window title
        "\u{1B}]8;;https://evil.example/\u{1B}\\click\u{1B}]8;;\u{1B}\\", // OSC 8 hyperlink
        "\u{1B}]52;c;cm0gLXJmIH4=\u{07}clipboard",            // OSC 52 clipboard write
        "\u{9B}31mC1 CSI",                                    // 8-bit CSI
        "abc\rXYZ",                                           // carriage return overwrites
        "\u{202E}gnp.exe",                                    // bidi override
        "pay\u{200B}pal\u{2060}\u{FEFF}\u{00AD}",             // invisible
        "tag\u{E0041}\u{E0042}",                              // tag characters
        "pua\u{E000}",                                        // private use
    ]

    static func assertSafe(_ output: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let unsafe = output.unicodeScalars.filter { $0 != "\n" && TerminalText.isUnsafe($0) }
        #expect(unsafe.isEmpty, "unsafe characters printed: \(unsafe.map { String($0.value, radix: 16) })", sourceLocation: sourceLocation)
    }

    @Test func everyHostileCharacterIsShownVisibly() {
        #expect(TerminalText.visible("\u{1B}[2J") == "\\u{1B}[2J")
        #expect(TerminalText.visible("a\u{200B}b") == "a\\u{200B}b")
        #expect(TerminalText.visible("Grüße, 😀 – ok") == "Grüße, 😀 – ok")
        #expect(TerminalText.visible("two\nlines", keepingNewlines: true) == "two\nlines")
        #expect(TerminalText.visible("two\nlines") == "two\\u{A}lines")
        for text in Self.hostile { Self.assertSafe(TerminalText.visible(text)) }
    }

    @Test func reviewTextShowsHostileMessagesTiersAndSegmentsVisibly() {
        var aggregator = ReviewAggregator()
        for (index, text) in Self.hostile.enumerated() {
            let session = "s\(index)"
            aggregator.add(ReviewFixture.record("2025-03-01T09:00:0\(index).000Z", session, 1, .login) {
                $0.customer = "C1"; $0.tier = "\u{1B}]0;tier\u{07}"; $0.segment = "\u{1B}[31mvip"
            })
            aggregator.add(ReviewFixture.message("2025-03-01T09:00:0\(index).100Z", session, 2, text))
            aggregator.add(ReviewFixture.reply("2025-03-01T09:00:0\(index).200Z", session, 3, intent: nil, phase: "awareness"))
            aggregator.add(ReviewFixture.record("2025-03-01T09:00:0\(index).300Z", session, 4, .feedback) { $0.score = 3 })
        }
        let text = ReviewTextRenderer().render(aggregator.report())
        Self.assertSafe(text)
        #expect(text.contains("\\u{1B}[2J"))
        #expect(text.contains("\\u{1B}]0;tier\\u{7}"))
        let csv = ReviewCSVRenderer().render(aggregator.report())
        Self.assertSafe(csv.replacingOccurrences(of: "\r\n", with: "\n"))
    }

    @Test func transcriptDialogueShowsHostileTextVisibly() {
        var records: [TranscriptRecord] = [
            ReviewFixture.record("2025-03-01T09:00:00.000Z", "s", 1, .login) { $0.customer = "C1"; $0.tier = "\u{1B}]52;c;AAAA\u{07}" },
        ]
        for (index, text) in Self.hostile.enumerated() {
            records.append(ReviewFixture.message("2025-03-01T09:00:01.000Z", "s", 2 + 2 * index, text))
            records.append(ReviewFixture.reply("2025-03-01T09:00:01.100Z", "s", 3 + 2 * index, intent: nil, phase: "awareness", text: "echo " + text))
        }
        let output = TranscriptDialogue(session: "s", records: records).render()
        Self.assertSafe(output)
        #expect(output.contains("customer: \\u{1B}[2J\\u{1B}[H cleared"))
        #expect(output.contains("tier \\u{1B}]52;c;AAAA\\u{7}"))
    }

    @Test func csvNeutralisesFormulasAsOWASPAdvises() {
        let formulas = ["=1+1", " =1+1", "  =HYPERLINK(\"http://x\",\"y\")", "+49 30 1234", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                        "=cmd|' /C calc'!A0", "＝1+1", "\u{A0}=1"]
        for text in formulas {
            let field = ReviewCSVRenderer.field(text)
            let unquoted = field.hasPrefix("\"") ? String(field.dropFirst()) : field
            #expect(unquoted.hasPrefix("'"), "not neutralised: \(text.debugDescription) -> \(field.debugDescription)")
        }
        for text in ["plain", "1+1=2", "a=b", "wo ist mein paket?"] {
            #expect(!ReviewCSVRenderer.field(text).hasPrefix("'"), "\(text)")
        }
    }
}
