/// How to render: glyph set and whether colour roles are used.
public struct RenderOptions: Sendable, Hashable {
    /// False → ASCII borders and glyphs, non-ASCII text shown as `?` per column.
    public var unicode: Bool
    /// False → every cell's role is `.normal`; meaning is carried by attributes and glyphs only (NO_COLOR).
    public var colors: Bool
    public init(unicode: Bool = true, colors: Bool = true) { self.unicode = unicode; self.colors = colors }
}
