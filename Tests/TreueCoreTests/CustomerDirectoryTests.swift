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

    @Test func refusesExportsWithoutRequiredColumnsOrWithUnknownPhases() {
        #expect(throws: CustomerDirectoryError.self) { try CustomerDirectory.parse(csv: "id,name\nC1,Anna\n", phases: phases) }
        do {
            _ = try CustomerDirectory.parse(csv: "id,phase\nC1,loyalty\nC2,vip\n", file: "crm.csv", phases: phases)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("crm.csv:3:"))
        }
    }

    @Test func theShippedDemoFileLoads() throws {
        let directory = try CustomerDirectory.load(path: "Customers/demo.csv", phases: phases)
        #expect(directory.customers.count >= 5)
    }
}
