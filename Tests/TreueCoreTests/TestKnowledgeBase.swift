import TreueCore

/// A small knowledge base in the shipped format, for tests that need one.
enum TestKnowledgeBase {
    static let yaml = ##"""
    settings:
      shop_name: Testshop
      hotline: "030 1234"
    languages: [de, en]
    phases:
      order: [awareness, consideration, conversion, service, loyalty]
      default: awareness
    vocabulary:
      bestellung: 'bestell\w*|auftrag\w*|paket\w*|sendung|lieferung'
      order_number: '\#?\d{6,10}'
    fallback:
      answers:
        default:
          de: "Das habe ich nicht verstanden."
          en: "I did not get that."
      suggestions:
        default: [order_status, return_item]
        loyalty: [loyalty_points]
    intents:
      - id: greeting
        title: Begrüßung
        priority: -10
        patterns:
          de: ['^\W*(hallo|hi|guten tag)\b']
          en: ['^\W*(hello|hi there)\b']
        answers:
          default: { de: "Hallo! Wie kann ich helfen?", en: "Hello! How can I help?" }
      - id: order_status
        title: { de: Bestellstatus, en: Order status }
        phase: service
        suggestion: { de: "Wo ist meine Bestellung?", en: "Where is my order?" }
        patterns:
          de: ['\b(wo|wann)\b.*\b(ist|bleibt|kommt)\b.*(?&bestellung)(.*?(?<order>(?&order_number)))?']
          en: ['\bwhere\b.*\b(my|the)\s+(order|parcel|package)\b(.*?(?<order>(?&order_number)))?']
        examples:
          de: ["Wo ist meine Bestellung 12345678?"]
          en: ["where is my order 1234567"]
        slots:
          - name: order
            pattern: '(?<order>(?&order_number))'
            prompt: { de: "Wie lautet Ihre Bestellnummer?", en: "What is your order number?" }
        answers:
          default:
            de: ["Ihre Bestellung {order} ist unterwegs.", "Bestellung {order}: unterwegs."]
            en: "Your order {order} is on its way."
          loyalty:
            de: "[[{name}, ]]Ihre Bestellung {order} kommt als {tier|Mitglied}-Sendung."
        followups: [return_item]
      - id: return_item
        title: { de: Rücksendung, en: Returns }
        phase: service
        suggestion: { de: "Wie schicke ich etwas zurück?", en: "How do I return something?" }
        patterns:
          de: ['zurück(schicken|senden|geben)', 'rücksendung|retoure']
          en: ['\breturn\b']
        examples:
          de: ["Wie schicke ich etwas zurück?", "ich will das zurueckschicken", "RÜCKSENDUNG"]
        counter_examples:
          de: ["Wo ist meine Bestellung?"]
        answers:
          default:
            de: "So geht die Rücksendung: Retourenschein drucken."
            en: "To return an item, print the label."
      - id: loyalty_points
        title: Punkte
        phase: loyalty
        suggestion: { de: "Wie viele Punkte habe ich?", en: "How many points do I have?" }
        patterns:
          de: ['\bpunkte\b']
          en: ['\bpoints\b']
        answers:
          default:
            de: "Werden Sie Mitglied und sammeln Sie Punkte."
            en: "Join and collect points."
          loyalty:
            de: "[[{name}, ]]Sie haben {points|einige} Punkte."
            en: "[[{name}, ]]you have {points|some} points."
      - id: human_agent
        title: Mitarbeiter
        action: handoff
        patterns:
          de: ['\bmitarbeiter\b|\bmensch\b']
          en: ['\bhuman\b']
        answers:
          default: { de: "Ich verbinde Sie.", en: "Connecting you." }
      - id: complaint
        title: Beschwerde
        priority: -5
        patterns:
          de: ['\b(unverschämt|frechheit|skandal)\b']
        answers:
          default: { de: "Das tut mir leid.", en: "I am sorry." }
    """##

    static let csv = """
    id,phase,name,points,tier,segment
    C1001,loyalty,Anna,1200,Gold,stammkunde
    C1002,service,,,Bronze,neukunde
    """

    static func load() -> KnowledgeBase {
        let (kb, diagnostics) = KnowledgeBase.load(texts: [("test.yaml", yaml)])
        guard let kb else { fatalError("test knowledge base is broken: \(diagnostics)") }
        return kb
    }

    static func directory(_ kb: KnowledgeBase) -> CustomerDirectory {
        try! CustomerDirectory.parse(csv: csv, phases: kb.phases)
    }
}
