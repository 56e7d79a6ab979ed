import Testing
@testable import TreueCore

struct CustomerDirectoryTests {
    let phases = ["awareness", "consideration", "conversion", "service", "loyalty"]

    @Test func readsAnExportWithQuotesAndExtraColumns() throws {
        let csv = "id,phase,name,points,tier,city\r\nC1,loyalty,\"Müller, Anna\",100,Gold,\"Bad \"\"Nauheim\"\"\"\r\nC2,service,,,,\r\n"
        let directory = try CustomerDirectory.parse(csv: csv, phases: phases)
        #expect(directory.profile(id: "C1")?.fields["name"] == "Müller, Anna")
        #expect(directory.profile(id: "C1")?.fields["city"] == "Bad \"Nauheim\"")
        #expect(directory.profile(id: "C2")?.fields["name"] == nil)
        #expect(directory.profile(id: "C2")?.phase == "service")
    }

    @Test func errorsNameTheLineAnEditorShowsNotTheRowNumber() {
        // Row 3 starts on line 5: a note spans two lines and a blank line precedes it.
        let csv = "id,phase,note\nC1,loyalty,\"first line\nsecond line\"\n\nC2,vip,x\n"
        do {
            _ = try CustomerDirectory.parse(csv: csv, file: "crm.csv", phases: phases)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("crm.csv:5: unknown phase 'vip'"), "\(error.message)")
        }
    }

    @Test func refusesExportsWithoutRequiredColumnsOrWithUnknownPhases() {
        #expect(throws: CustomerDirectoryError.self) { try CustomerDirectory.parse(csv: "id,name\nC1,Anna\n", phases: phases) }
        do {
            _ = try CustomerDirectory.parse(csv: "id,phase\nC1,loyalty\nC2,vip\n", file: "crm.csv", phases: phases)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("crm.csv:3:"))
        }
    }

    @Test func controlAndInvisibleCharactersAreRemovedWithAWarningNamingFileLineAndColumn() throws {
        let csv = "id,phase,name,tier,segment\nC1,loyalty,Anna,Gold,vip\nC2,service,\"\u{1B}[2JBob\",\u{1B}]52;c;AAAA\u{07}Gold,v\u{200B}ip\n"
        let directory = try CustomerDirectory.parse(csv: csv, file: "crm.csv", phases: phases)
        let bob = try #require(directory.profile(id: "C2"))
        #expect(bob.fields["name"] == "[2JBob")
        #expect(bob.fields["tier"] == "]52;c;AAAAGold")
        #expect(bob.fields["segment"] == "vip")
        #expect(directory.profile(id: "C1")?.fields["name"] == "Anna")
        let warnings = directory.warnings.map(\.description)
        #expect(warnings.count == 4)
        #expect(warnings.first?.hasPrefix("crm.csv:3:13: warning: removed control or invisible character U+001B from column 'name' of customer 'C2'") == true, "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("crm.csv:3:22: warning:") && $0.contains("U+001B from column 'tier'") }, "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("crm.csv:3:33: warning:") && $0.contains("U+0007") }, "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("crm.csv:3:40: warning:") && $0.contains("U+200B from column 'segment'") }, "\(warnings)")
    }

    /// Found by the matching fuzzer: a last line of nothing but control characters is no
    /// row, and its removals must not point at one.
    @Test func aLastLineOfOnlyControlCharactersIsNoRowAndNoCrash() throws {
        let directory = try CustomerDirectory.parse(csv: "id,phase,name\nC1,loyalty,Anna\n\u{0B}\u{0}\u{0}", file: "crm.csv", phases: phases)
        #expect(directory.customers.count == 1)
        #expect(directory.warnings.isEmpty)
        let headerOnly = try CustomerDirectory.parse(csv: "id,phase,name\n\u{0B}\u{0}\u{0}\u{0}", file: "crm.csv", phases: phases)
        #expect(headerOnly.customers.isEmpty)
    }

    @Test func theShippedDemoFileLoads() throws {
        let directory = try CustomerDirectory.load(path: "Customers/demo.csv", phases: phases)
        #expect(directory.customers.count >= 5)
    }
}

struct LoginSecretTests {
    @Test func aConfiguredButBlankSecretIsRefused() {
        for blank in ["", "   ", "\n", "\t\n \n", "# set me", "# one\n# two\n"] {
            #expect(throws: LoginSecretError.self) { try LoginTokenVerifier.requiredSecrets(blank, source: "TREUE_LOGIN_SECRET") }
        }
        #expect((try? LoginTokenVerifier.requiredSecrets("# comment\n s1 \n\ns2", source: "x")) == ["s1", "s2"])
    }
}
