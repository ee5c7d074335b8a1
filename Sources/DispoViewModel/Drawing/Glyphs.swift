/// The glyphs used for borders and marks: Unicode, or plain ASCII when the terminal is not UTF-8.
struct Glyphs: Sendable {
    let vertical: String, horizontal: String
    let topLeft: String, topRight: String, bottomLeft: String, bottomRight: String
    let marker: String, ellipsis: Character, dash: String, dot: String, error: String, cursorBar: String
    /// Leads what a typed value will be sent as ("→ +1 415-555-0142").
    let arrow: String
    static let unicode = Glyphs(vertical: "│", horizontal: "─", topLeft: "┌", topRight: "┐", bottomLeft: "└",
                                bottomRight: "┘", marker: "▸", ellipsis: "…", dash: "–", dot: "·", error: "✖",
                                cursorBar: "▏", arrow: "→")
    static let ascii = Glyphs(vertical: "|", horizontal: "-", topLeft: "+", topRight: "+", bottomLeft: "+",
                              bottomRight: "+", marker: ">", ellipsis: "~", dash: "-", dot: "|", error: "!",
                              cursorBar: "_", arrow: "->")
}
