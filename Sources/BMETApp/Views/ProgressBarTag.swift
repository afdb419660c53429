import Foundation
import Leaf

/// `#progressBar(percent)` and `#progressBar(approved, credited)`: the one horizontal bar every page draws beside its
/// figure (an SVG, so it needs no script and prints). It is decoration: the figure it shows is always written beside
/// it, so the bar is hidden from screen readers. Percentages are clamped to 0–100; a second share (credit for prior
/// learning) is drawn after the first in its own colour.
struct ProgressBarTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let first = ctx.parameters.first?.double, ctx.parameters.count <= 2 else {
            throw Misused()
        }
        let approved = Self.clamped(first)
        var rects = #"<rect x="0" y="0" width="100" height="10" class="bar-track"></rect>"#
            + #"<rect x="0" y="0" width="\#(Self.number(approved))" height="10" class="bar-fill"></rect>"#
        if ctx.parameters.count == 2, let second = ctx.parameters[1].double {
            let credit = min(Self.clamped(second), 100 - approved)
            rects += #"<rect x="\#(Self.number(approved))" y="0" width="\#(Self.number(credit))" height="10" class="bar-credit"></rect>"#
        }
        return .string(#"<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">\#(rects)</svg>"#)
    }

    struct Misused: Error, CustomStringConvertible {
        var description: String { "#progressBar(percent[, credit]) takes one or two numbers." }
    }

    static func clamped(_ value: Double) -> Double { value.isFinite ? min(max(value, 0), 100) : 0 }

    /// At most one decimal, without a trailing ".0" (the SVG's own unit is a hundredth of the bar).
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
