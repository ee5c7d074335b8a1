/// Prose on the canvas (messages, hints, notes): never cut inside a word without a mark.
extension Canvas {
    /// Draws `text` at (col, row) in at most `width` columns, ended at a word boundary with the glyph
    /// set's ellipsis when it does not fit (`fitWords`). Returns the columns drawn.
    @discardableResult
    mutating func message(_ text: String, col: Int, row: Int, width: Int, style: CellStyle = .plain) -> Int {
        guard width > 0 else { return 0 }
        return self.text(fitWords(text, width: width, ellipsis: glyphs.ellipsis), col: col, row: row, width: width,
                         style: style, alreadyClean: true)
    }

    /// Draws `text` wrapped at spaces into at most `maxLines` rows of `width` columns from (col, row), the
    /// last one ended with an ellipsis when more would be needed (`wrapWords`); lines after the first
    /// start `indent` further right. Returns the rows drawn.
    @discardableResult
    mutating func wrappedMessage(_ text: String, col: Int, row: Int, width: Int, maxLines: Int, indent: Int = 0,
                                 style: CellStyle = .plain) -> Int {
        guard width > indent else { return 0 }
        // Wrapped to the narrower width, so indented lines fit too.
        let lines = wrapWords(text, width: width - indent, maxLines: maxLines, ellipsis: glyphs.ellipsis)
        for (i, line) in lines.enumerated() {
            let x = i == 0 ? col : col + indent
            self.text(line, col: x, row: row + i, width: width - (x - col), style: style, alreadyClean: true)
        }
        return lines.count
    }
}
