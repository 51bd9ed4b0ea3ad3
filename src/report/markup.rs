//! Escaping for the markup formats (HTML, SVG, XML): text from the registry and the policies is
//! attacker-controlled, and must stay text.

/// Escapes element text and attribute values alike: `&`, `<`, `>`, both quotes, and the line
/// breaks and tabs an attribute would otherwise normalise to spaces. XML 1.0 cannot carry other
/// C0 controls, U+FFFE or U+FFFF at all (HTML reads them as parse errors), so they become
/// U+FFFD, the replacement character.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20
                || (0x7f..0xa0).contains(&(c as u32))
                || c == '\u{FFFE}'
                || c == '\u{FFFF}' =>
            {
                out.push('\u{FFFD}')
            }
            c => out.push(c),
        }
    }
    out
}

/// An http(s) URL that is safe to put in an `href`: a web address with no whitespace, quotes or
/// angle brackets. Anything else (`javascript:`, `data:`, `file:`, a relative path) is None, and
/// is shown as text rather than linked.
pub fn web_link(url: &str) -> Option<&str> {
    let url = url.trim();
    let scheme_len = ["https://", "http://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|s| s.eq_ignore_ascii_case(scheme))
            .map(|_| scheme.len())
    })?;
    let rest = &url[scheme_len..];
    let safe = !rest.is_empty()
        && !url.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`')
        });
    safe.then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_controls_are_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape("a\nb\u{0}\u{85}"), "a&#10;b\u{FFFD}\u{FFFD}");
        assert_eq!(escape("é😀"), "é😀");
    }

    #[test]
    fn only_web_addresses_are_links() {
        assert_eq!(
            web_link(" https://a.example/x?y=1 "),
            Some("https://a.example/x?y=1")
        );
        assert_eq!(web_link("HTTP://a.example"), Some("HTTP://a.example"));
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>",
            "file:///etc/passwd",
            "//evil.example",
            "https://",
            "https://a.example/\"onmouseover=\"x",
            "https://a.example/ x",
        ] {
            assert_eq!(web_link(bad), None, "{bad}");
        }
    }
}
