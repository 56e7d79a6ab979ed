import ArgumentParser

@main
struct Treue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "treue",
        abstract: "Support chat for the loyalty phase of the customer journey.",
        subcommands: [ServeCommand.self, ChatCommand.self, CheckCommand.self, MatchCommand.self, ReviewCommand.self, SuggestCommand.self, TranscriptCommand.self, TicketsCommand.self, AgentCommand.self, ReplayCommand.self]
    )
}
