//! A placed [`Diagram`] as SVG: self-contained (no stylesheet, font, script or link outside
//! it, no `url(…)` references, no ids, so that many can sit in one HTML page), every text
//! escaped, every number rounded to a tenth so that the same diagram gives the same bytes.

use std::fmt::Write;

use layout::core::geometry::Point;

use super::layout::{PlacedEdge, PlacedNode, node_lines, place};
use super::{Diagram, Emphasis};
use crate::report::markup::escape;

const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const INK: &str = "#1f2933";
const LINK: &str = "#52606d";

/// The diagram as an `<svg>` element; `title` names it for screen readers and tooltips. Fit
/// for a file of its own (`vrisk graph --format svg`) and for inlining in HTML.
pub fn render(diagram: &Diagram, title: &str) -> String {
    let placed = place(diagram);
    let mut notes: Vec<String> = diagram.note().into_iter().collect();
    if placed.self_links > 0 {
        notes.push(format!(
            "{} link{} of an organisation to itself not drawn",
            placed.self_links,
            if placed.self_links == 1 { "" } else { "s" }
        ));
    }
    let note_height = 18. * notes.len() as f64;
    let width = placed.width.max(200.);
    let height = placed.height + note_height;

    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" \
         height=\"{h}\" role=\"img\" aria-label=\"{t}\" font-family=\"{FONT}\">",
        w = num(width),
        h = num(height),
        t = escape(title),
    );
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    out.push_str("<g fill=\"none\" stroke=\"");
    out.push_str(LINK);
    out.push_str("\" stroke-width=\"1.5\">\n");
    for edge in &placed.edges {
        let _ = writeln!(out, "<path d=\"{}\"/>", path(edge));
    }
    out.push_str("</g>\n<g fill=\"");
    out.push_str(LINK);
    out.push_str("\">\n");
    for edge in &placed.edges {
        for head in heads(edge) {
            let _ = writeln!(out, "<polygon points=\"{head}\"/>");
        }
    }
    out.push_str("</g>\n");
    for node in &placed.nodes {
        write_node(&mut out, diagram, node);
    }
    let _ = writeln!(
        out,
        "<g font-size=\"11\" fill=\"{INK}\" text-anchor=\"middle\" dominant-baseline=\"central\" \
         stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">"
    );
    for label in &placed.labels {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(label.x),
            num(label.y),
            escape(&label.text)
        );
    }
    out.push_str("</g>\n");
    for (i, note) in notes.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"8\" y=\"{}\" font-size=\"12\" font-style=\"italic\" fill=\"{INK}\">{}</text>",
            num(placed.height + 13. + 18. * i as f64),
            escape(note)
        );
    }
    out.push_str("</svg>\n");
    out
}

fn write_node(out: &mut String, diagram: &Diagram, node: &PlacedNode) {
    let emphasis = diagram
        .nodes
        .get(node.node)
        .map_or(Emphasis::Plain, |n| n.emphasis);
    let (fill, stroke, width) = match emphasis {
        Emphasis::Plain => ("#ffffff", "#7b8794", "1.5"),
        Emphasis::Focus => ("#e8f0fe", "#1a56db", "3"),
        Emphasis::Owner => ("#fdecea", "#b42318", "2.5"),
    };
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"5\" fill=\"{fill}\" \
         stroke=\"{stroke}\" stroke-width=\"{width}\"/>",
        num(node.x),
        num(node.y),
        num(node.width),
        num(node.height)
    );
    let lines = node_lines(diagram, node.node);
    let center = node.x + node.width / 2.;
    let top = node.y + node.height / 2. - 16. * lines.len() as f64 / 2.;
    for (i, line) in lines.iter().enumerate() {
        let (size, weight) = if i == 0 { ("13", "600") } else { ("11", "400") };
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{size}\" font-weight=\"{weight}\" \
             fill=\"{INK}\" text-anchor=\"middle\" dominant-baseline=\"central\">{}</text>",
            num(center),
            num(top + 8. + 16. * i as f64),
            escape(line)
        );
    }
}

fn path(edge: &PlacedEdge) -> String {
    let mut d = format!("M{} {}", num(edge.start.x), num(edge.start.y));
    for [c1, c2, p] in &edge.segments {
        let _ = write!(
            d,
            " C{} {} {} {} {} {}",
            num(c1.x),
            num(c1.y),
            num(c2.x),
            num(c2.y),
            num(p.x),
            num(p.y)
        );
    }
    d
}

/// Arrowheads as triangles (markers would need ids and `url(#…)`): at the end, pointing along
/// the curve's last tangent; at the start, against its first.
fn heads(edge: &PlacedEdge) -> Vec<String> {
    let mut heads = Vec::new();
    if edge.head_at_end
        && let Some([_, control, tip]) = edge.segments.last()
    {
        heads.push(triangle(*control, *tip));
    }
    if edge.head_at_start
        && let Some([control, _, _]) = edge.segments.first()
    {
        heads.push(triangle(*control, edge.start));
    }
    heads
}

fn triangle(from: Point, tip: Point) -> String {
    let (dx, dy) = (tip.x - from.x, tip.y - from.y);
    let length = (dx * dx + dy * dy).sqrt();
    let (ux, uy) = if length > f64::EPSILON {
        (dx / length, dy / length)
    } else {
        (1., 0.)
    };
    let (back, half) = (9., 4.5);
    let base = Point::new(tip.x - ux * back, tip.y - uy * back);
    format!(
        "{},{} {},{} {},{}",
        num(tip.x),
        num(tip.y),
        num(base.x - uy * half),
        num(base.y + ux * half),
        num(base.x + uy * half),
        num(base.y - ux * half)
    )
}

/// A coordinate rounded to a tenth, without a trailing `.0`, and never `-0`.
fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_string();
    }
    let tenths = (x * 10.).round() as i64;
    let (whole, tenth) = (tenths / 10, (tenths % 10).abs());
    let sign = if tenths < 0 && whole == 0 { "-" } else { "" };
    if tenth == 0 {
        format!("{}", whole)
    } else {
        format!("{sign}{whole}.{tenth}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_rounded_to_a_tenth() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(-0.46), "-0.5");
        assert_eq!(num(-3.25), "-3.3");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn text_is_escaped_and_nothing_points_outside() {
        let mut d = Diagram::default();
        let a = d.node("a", "<script>alert(1)</script>");
        let b = d.node("b", "B \"&\" C");
        d.edge(a, b, "49% <b>");
        let svg = render(&d, "Ownership of <B>");
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("B &quot;&amp;&quot; C"));
        assert!(svg.contains(">49% &lt;b&gt;</text>"));
        assert!(!svg.contains("url("));
        assert!(!svg.contains("href"));
        assert_eq!(svg, render(&d, "Ownership of <B>"), "deterministic");
    }
}
