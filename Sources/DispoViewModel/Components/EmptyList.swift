/// What an empty list says: no match for its filter, the load's error, that the rep must be chosen or
/// that it is loading, else `empty`.
func emptyListText<Item>(_ list: PagedList<Item>, _ context: FeatureContext, glyphs: Glyphs, empty: String) -> String {
    if !list.filter.isEmpty { return "No match for \u{201C}\(list.filter.text)\u{201D} (Esc clears the filter)" }
    if let error = list.error { return "\(glyphs.error) \(error) (\(context.labels.primary(.refresh)) retries)" }
    if context.session.user == nil {
        if context.session.users != nil { return "Choose who you are to see your calls and tasks." }
        return "Loading" + String(glyphs.ellipsis)
    }
    if !list.isLoaded { return "Loading" + String(glyphs.ellipsis) }
    return empty
}

/// Draws an empty list's text on its first row.
func drawEmptyList(_ text: String, _ canvas: inout Canvas, rows: Rect) {
    canvas.text(text, col: rows.col + 2, row: rows.row, width: rows.width - 2, style: CellStyle(role: .muted))
}
