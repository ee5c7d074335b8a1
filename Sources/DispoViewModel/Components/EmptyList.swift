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

/// Draws an empty list's text from its first row, wrapped at spaces over at most three rows.
func drawEmptyList(_ text: String, _ canvas: inout Canvas, rows: Rect) {
    canvas.wrappedMessage(text, col: rows.col + 2, row: rows.row, width: rows.width - 2, maxLines: min(3, rows.height),
                          style: CellStyle(role: .muted))
}

/// Under a list's last row while a next page loads: `loading more…`; after `G`, how far loading to the
/// real end has come (on the last row when the list fills its rows).
func drawLoadingMore<Item>(_ list: PagedList<Item>, drawn: Int, _ canvas: inout Canvas, rows: Rect) {
    let g = canvas.glyphs
    if list.seekingEnd {
        let text = "  loading to the end: \(list.items.count) loaded" + String(g.ellipsis) + " (any move stops)"
        canvas.field(text, col: rows.col, row: rows.row + min(drawn, rows.height - 1), width: rows.width,
                     style: CellStyle(role: .muted, bold: true))
    } else if list.isLoading && list.isLoaded && drawn < rows.height {
        canvas.text("  loading more" + String(g.ellipsis), col: rows.col, row: rows.row + drawn, width: rows.width,
                    style: CellStyle(role: .muted))
    }
}
