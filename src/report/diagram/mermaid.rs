//! A [`Diagram`] as a Mermaid flowchart, left to right. Node ids are generated (`n0`, `n1`,
//! ...) in the diagram's order, so organisation ids never need to be valid Mermaid ids; every
//! label is written with Mermaid's entity codes where it would otherwise end the label or be
//! read as markup.

use std::fmt::Write;

use super::{Diagram, Emphasis, MAX_LABEL_CHARS, shorten};

/// The flowchart, without a code fence. A diagram that a cap cut says so in a comment; the
/// caller shows the same note where a reader sees it.
pub fn flowchart(diagram: &Diagram) -> String {
    let mut out = String::from("flowchart LR\n");
    for (i, node) in diagram.nodes.iter().enumerate() {
        let _ = write!(
            out,
            "  n{i}[\"{}",
            text(&shorten(&node.name, MAX_LABEL_CHARS))
        );
        if let Some(detail) = &node.detail {
            let _ = write!(out, "<br/>{}", text(&shorten(detail, MAX_LABEL_CHARS)));
        }
        out.push_str("\"]\n");
    }
    for e in &diagram.edges {
        let _ = writeln!(
            out,
            "  n{} -->|\"{}\"| n{}",
            e.from,
            text(&shorten(&e.label, MAX_LABEL_CHARS)),
            e.to
        );
    }
    for (i, node) in diagram.nodes.iter().enumerate() {
        if node.emphasis == Emphasis::Focus {
            let _ = writeln!(out, "  style n{i} stroke-width:3px");
        }
    }
    if let Some(note) = diagram.note() {
        let _ = writeln!(out, "  %% {note}");
    }
    out
}

/// Text inside a quoted Mermaid label. Mermaid reads `#name;` and `#code;` as entities, and
/// treats a good deal of ASCII punctuation as syntax somewhere: `"` and `|` end a label, `#`
/// starts an entity, `%%` a directive (`%%{init: ...}%%`, applied wherever it appears) or a
/// comment, `;` ends a statement, brackets and braces shape nodes, `<`, `>` and `&` are HTML, a
/// backtick starts a Markdown string, `:::` names a class. So after neutralising, every ASCII
/// character but letters, digits, space and `.,-_/'+` is written as its entity code (`%` is
/// `#37;`), which Mermaid shows as the character itself.
pub fn text(text: &str) -> String {
    let text = crate::value::text::neutralise(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            c if c.is_ascii_alphanumeric()
                || matches!(c, ' ' | '.' | ',' | '-' | '_' | '/' | '\'' | '+') =>
            {
                out.push(c)
            }
            c if c.is_ascii() => {
                let _ = write!(out, "#{};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_use_entity_codes() {
        assert_eq!(
            text("A \"B\" | #1 <C> & `D`"),
            "A #quot;B#quot; #124; #35;1 #lt;C#gt; #amp; #96;D#96;"
        );
    }

    #[test]
    fn a_capped_diagram_says_so() {
        let mut d = Diagram::default();
        for i in 0..3 {
            let a = d.node(&format!("a{i}"), "A");
            let b = d.node("v", "V");
            d.edge(a, b, "1%");
        }
        let text = flowchart(&d.capped(1));
        assert_eq!(
            text,
            "flowchart LR\n  n0[\"A\"]\n  n1[\"V\"]\n  n0 -->|\"1#37;\"| n1\n  \
             %% 2 more links not drawn: a diagram shows at most 100\n"
        );
    }
}
