//! Markdown to safe HTML, split into sections on level-2 headings.
//!
//! Content is written by people, not trusted: raw HTML is published as
//! text, and links or images whose URL could run script are an error.

use std::path::{Path, PathBuf};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::error::{Diagnostic, line_of};
use crate::model::{Section, SectionKind};

/// Rendered Markdown: safe HTML and its plain text.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub text: String,
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// What every Markdown text of a site is published with.
#[derive(Debug, Clone)]
pub struct SiteBase {
    /// The site's root path, `/` or `/referater/`.
    pub root: String,
    pub table_label: &'static str,
}

impl SiteBase {
    pub fn of(config: &crate::config::Config) -> SiteBase {
        SiteBase {
            root: config.root_path(),
            // In the content's language: the table is inside its `lang`.
            table_label: crate::render::i18n::strings(config.content_language).table,
        }
    }

    /// The links of a text in the published folder `dir` (below the root).
    pub fn links(&self, dir: String, content: PathBuf) -> LinkBase {
        LinkBase {
            root: self.root.clone(),
            dir,
            content,
            table_label: self.table_label,
        }
    }
}

/// Where the relative links of a Markdown text lead from: the published
/// folder of the file it is in. Folder names are the site's URLs, so a
/// link written from the content file (`bilag.pdf`, `../2024-10-01/`,
/// `03-budget.md`) is made to work on every page that shows the text.
#[derive(Debug, Clone)]
pub struct LinkBase {
    /// The site's root path, `/` or `/referater/`.
    pub root: String,
    /// The folder below the root, `hu/2024-11-15/`; empty for free pages,
    /// which are published at the root.
    pub dir: String,
    /// The site's `content/`, where a linked item's file is looked at.
    pub content: PathBuf,
    /// What screen readers call a table's scroll area, in the minutes'
    /// language (see [`table_wrapper`]).
    pub table_label: &'static str,
}

impl LinkBase {
    /// `url` as published: relative and root-relative paths made absolute
    /// under the site's root, an item's `.md` file made its page's folder;
    /// `None` leaves the URL as written (web links, `#anchors`). A link to
    /// a closed item is an error: its page's URL is its private file name.
    fn resolve(&self, url: &str) -> Result<Option<String>, String> {
        let Some((out, parts)) = self.published(url) else {
            return Ok(None);
        };
        if self.names_closed_item(&parts) {
            return Err(format!(
                "link to {url:?}, a closed item: a closed item has no page, and its file name is not published"
            ));
        }
        Ok(Some(out))
    }

    /// Whether content-relative path parts lead to a closed item, however
    /// the link writes it: its file (`.md` in any case), its would-be page
    /// folder or that folder's `index.html`, percent-encoded or not.
    fn names_closed_item(&self, parts: &[&str]) -> bool {
        let mut parts: Vec<String> = parts
            .iter()
            .map(|p| {
                let p = p.trim();
                crate::urls::percent_decode(p).unwrap_or_else(|| p.to_string())
            })
            .collect();
        if parts
            .last()
            .is_some_and(|p| p.eq_ignore_ascii_case("index.html"))
        {
            parts.pop();
        }
        let Some(last) = parts.pop() else {
            return false;
        };
        let stem = last
            .len()
            .checked_sub(3)
            .filter(|&i| last.is_char_boundary(i) && last[i..].eq_ignore_ascii_case(".md"))
            .map_or(last.as_str(), |i| &last[..i]);
        parts.push(format!("{stem}.md"));
        is_closed_item(&self.content.join(parts.join("/")))
    }

    /// The published URL of `url`, and the content-relative path parts
    /// it was made from.
    fn published<'a>(&'a self, url: &'a str) -> Option<(String, Vec<&'a str>)> {
        if url.is_empty() || url.starts_with('#') || url.starts_with("//") || scheme(url).is_some()
        {
            return None;
        }
        let cut = url.find(['?', '#']).unwrap_or(url.len());
        let (path, rest) = url.split_at(cut);
        if path.is_empty() {
            return None;
        }
        let mut parts: Vec<&'a str> = Vec::new();
        if !path.starts_with('/') {
            parts.extend(self.dir.split('/').filter(|s| !s.is_empty()));
        }
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        let folder =
            path.ends_with('/') || path.ends_with("/.") || path.ends_with("..") || path == ".";
        let mut out = format!("{}{}", self.root, parts.join("/"));
        if let Some(page) = out.strip_suffix(".md")
            && !is_markdown_attachment(&parts)
        {
            out = format!("{page}/");
        } else if folder && !parts.is_empty() {
            out.push('/');
        }
        out.push_str(rest);
        Some((out, parts))
    }
}

/// Whether content-relative path parts name a Markdown file in a meeting
/// folder that is no item (`hu/2024-11-15/notat.md`): an attachment,
/// published as the file it is, not as a page's folder.
fn is_markdown_attachment(parts: &[&str]) -> bool {
    let [_, folder, file] = parts else {
        return false;
    };
    let file = crate::urls::percent_decode(file).unwrap_or_else(|| file.to_string());
    let folder = crate::urls::percent_decode(folder).unwrap_or_else(|| folder.to_string());
    crate::load::meeting::date_of_folder(&folder).is_some_and(|d| d.is_ok())
        && file
            .strip_suffix(".md")
            .is_some_and(|stem| crate::load::item::number_of(stem).is_none())
}

/// Whether the file at `path` is an agenda item with `closed = true`.
fn is_closed_item(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    crate::load::item::split_front_matter(path, &text)
        .ok()
        .and_then(|fm| fm.toml.parse::<toml::Table>().ok())
        .is_some_and(|t| t.get("closed").and_then(toml::Value::as_bool) == Some(true))
}

/// Renders a Markdown text that is not split into sections (descriptions,
/// notes, free pages). `first_line` is the line of `path` the text starts on.
pub fn render(
    path: &Path,
    text: &str,
    first_line: usize,
    links: &LinkBase,
) -> Result<Rendered, Vec<Diagnostic>> {
    let mut sections = render_sections(path, text, first_line, false, links)?;
    Ok(sections
        .pop()
        .map(|s| Rendered {
            html: s.html,
            text: s.text,
        })
        .unwrap_or_default())
}

/// Renders an agenda item's body: each level-2 heading starts a section.
pub fn render_item_body(
    path: &Path,
    text: &str,
    first_line: usize,
    links: &LinkBase,
) -> Result<Vec<Section>, Vec<Diagnostic>> {
    render_sections(path, text, first_line, true, links)
}

/// One section as it is read. Its events borrow the source text: most of
/// a body is text that goes to the HTML as it is, uncopied.
struct Builder<'a> {
    heading: Option<String>,
    events: Vec<Event<'a>>,
    text: String,
}

impl<'a> Builder<'a> {
    fn new(heading: Option<String>) -> Self {
        Builder {
            heading,
            events: Vec::new(),
            text: String::new(),
        }
    }

    fn finish(self) -> Option<Section> {
        if self.heading.is_none() && self.events.is_empty() {
            return None;
        }
        let mut html_out = String::new();
        html::push_html(&mut html_out, self.events.into_iter());
        let kind = self
            .heading
            .as_deref()
            .map_or(SectionKind::Other, section_kind);
        Some(Section {
            heading: self.heading,
            kind,
            html: html_out,
            text: collapse_spaces(&self.text),
        })
    }
}

fn render_sections(
    path: &Path,
    text: &str,
    first_line: usize,
    split: bool,
    links: &LinkBase,
) -> Result<Vec<Section>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut sections = Vec::new();
    let mut current = Builder::new(None);
    // Text of a level-2 heading being read, when splitting.
    let mut heading: Option<String> = None;
    // Elements open at this event: only a heading of the body itself
    // starts a section. One inside a quote or a list stays where it is,
    // as cutting there would leave the quote's tags in two sections.
    let mut depth = 0usize;

    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        // Computed only on error: counting lines per event is quadratic.
        let line = || line_of(text, range.start) + first_line - 1;
        let top = depth == 0;
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) if split && top => heading = Some(String::new()),
            Event::End(TagEnd::Heading(HeadingLevel::H2)) if split && depth == 0 => {
                let title = collapse_spaces(&heading.take().unwrap_or_default());
                let done = std::mem::replace(&mut current, Builder::new(Some(title)));
                sections.extend(done.finish());
            }
            ev if heading.is_some() => {
                if let Event::Text(t) | Event::Code(t) = ev {
                    heading.as_mut().unwrap().push_str(&t);
                }
            }
            ev => match safe_event(ev, links) {
                Ok(ev) => {
                    collect_text(&ev, &mut current.text);
                    if matches!(ev, Event::Start(Tag::Table(_))) {
                        current.events.push(table_wrapper(links.table_label));
                    }
                    let closes_table = matches!(ev, Event::End(TagEnd::Table));
                    current.events.push(ev);
                    if closes_table {
                        current
                            .events
                            .push(Event::Html(CowStr::Borrowed("</div>\n")));
                    }
                }
                Err(message) => problems.push(Diagnostic::new(path, line(), message)),
            },
        }
    }
    sections.extend(current.finish());
    if problems.is_empty() {
        Ok(sections)
    } else {
        Err(problems)
    }
}

/// A wide table scrolls inside its own area on a phone (the stylesheet's
/// `.table-scroll`), which the keyboard can reach and screen readers name:
/// a scroll area only a mouse or finger could move breaks WCAG 2.1.1.
fn table_wrapper(label: &str) -> Event<'static> {
    Event::Html(CowStr::from(format!(
        "<div class=\"table-scroll\" role=\"region\" aria-label=\"{}\" tabindex=\"0\">\n",
        crate::escape::html(label)
    )))
}

/// Makes one event safe to publish, or says why it cannot be.
fn safe_event<'a>(ev: Event<'a>, links: &LinkBase) -> Result<Event<'a>, String> {
    Ok(match ev {
        // Raw HTML is shown as the text it is.
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(mut tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
            if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                check_url(dest_url)?;
                if let Some(url) = links.resolve(dest_url)? {
                    *dest_url = CowStr::from(url);
                }
            }
            Event::Start(tag)
        }
        // A level-1 heading in a body would break the page's heading order
        // under the item's own title.
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: HeadingLevel::H2,
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
            Event::End(TagEnd::Heading(HeadingLevel::H2))
        }
        ev => ev,
    })
}

/// Only web, mail and phone links, and relative ones, are published.
fn check_url(url: &str) -> Result<(), String> {
    let Some(scheme) = scheme(url) else {
        return Ok(());
    };
    match scheme.as_str() {
        "http" | "https" | "mailto" | "tel" => Ok(()),
        _ => Err(format!(
            "link to {url:?} is not allowed: only http, https, mailto, tel and relative links are published"
        )),
    }
}

/// The scheme of a URL, lower case, as a browser reads it: browsers drop
/// control characters and white space inside a scheme ("java\tscript:").
fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match cleaned.find(':') {
        Some(i) if !cleaned[..i].contains(['/', '?', '#']) => Some(cleaned[..i].to_string()),
        _ => None,
    }
}

fn collect_text(ev: &Event<'_>, out: &mut String) {
    match ev {
        Event::Text(t) | Event::Code(t) => out.push_str(t),
        Event::SoftBreak | Event::HardBreak | Event::End(_) | Event::Start(Tag::Item) => {
            out.push(' ')
        }
        _ => {}
    }
}

/// `s` with each run of white space made one space, and none at the ends,
/// as `split_whitespace` would cut it. Every item's text goes through here,
/// so it works on bytes (white space outside ASCII starts with one of four
/// bytes) and copies whole runs of words that single spaces already part.
fn collapse_spaces(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    loop {
        while let Some(len) = space_at(s, i) {
            i += len;
        }
        if i == bytes.len() {
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let run = i;
        while let Some(&b) = bytes.get(i) {
            let plain = b > b' ' && !matches!(b, 0xC2 | 0xE1..=0xE3);
            let single_space = b == b' ' && i + 1 < bytes.len() && space_at(s, i + 1).is_none();
            if plain || single_space || space_at(s, i).is_none() {
                i += 1;
            } else {
                break;
            }
        }
        out.push_str(&s[run..i]);
    }
}

/// The length of the white space character at byte `i` of `s`, if one is.
#[inline]
fn space_at(s: &str, i: usize) -> Option<usize> {
    match *s.as_bytes().get(i)? {
        b'\t'..=b'\r' | b' ' => Some(1),
        // U+0085, U+00A0; U+1680; U+2000 to U+205F; U+3000.
        0xC2 | 0xE1 | 0xE2 | 0xE3 => {
            let c = s[i..].chars().next()?;
            c.is_whitespace().then(|| c.len_utf8())
        }
        _ => None,
    }
}

/// What a section heading means, by its first word (Danish or English).
pub fn section_kind(heading: &str) -> SectionKind {
    let h = heading.trim().to_lowercase();
    let starts = |words: &[&str]| words.iter().any(|w| h.starts_with(w));
    // Danish compounds on "beslutnings-" name something else:
    // "Beslutningskompetence" (who decides), "Beslutningstema" (what to decide).
    if starts(&["beslutning", "decision"]) && !h.starts_with("beslutnings") {
        SectionKind::Decision
    } else if starts(&["indstilling", "recommendation"]) {
        SectionKind::Recommendation
    } else if starts(&["sagsfremstilling", "presentation"]) {
        SectionKind::Presentation
    } else if starts(&["økonomi", "economy"]) {
        SectionKind::Economy
    } else {
        SectionKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> LinkBase {
        LinkBase {
            root: "/referater/".into(),
            dir: "hu/2024-11-15/".into(),
            content: PathBuf::from("/nonexistent"),
            table_label: "Tabel",
        }
    }

    #[test]
    fn relative_links_lead_where_the_content_files_are_published() {
        let b = base();
        let r = |u: &str| b.resolve(u).unwrap();
        assert_eq!(
            r("bilag.pdf").unwrap(),
            "/referater/hu/2024-11-15/bilag.pdf"
        );
        assert_eq!(
            r("./bilag 1.pdf").unwrap(),
            "/referater/hu/2024-11-15/bilag 1.pdf"
        );
        assert_eq!(
            r("02-budget.md").unwrap(),
            "/referater/hu/2024-11-15/02-budget/"
        );
        assert_eq!(
            r("02-budget.md#beslutning").unwrap(),
            "/referater/hu/2024-11-15/02-budget/#beslutning"
        );
        assert_eq!(r("../2024-10-01/").unwrap(), "/referater/hu/2024-10-01/");
        assert_eq!(r("../../oeu/").unwrap(), "/referater/oeu/");
        assert_eq!(r("../../../../x/").unwrap(), "/referater/x/");
        assert_eq!(r("..").unwrap(), "/referater/hu/");
        assert_eq!(r("/sager/24-277/").unwrap(), "/referater/sager/24-277/");
        assert_eq!(r("/").unwrap(), "/referater/");
        assert_eq!(r("?q=x"), None);
        assert_eq!(r("#punkt"), None);
        assert_eq!(r("https://example.dk/a.md"), None);
        assert_eq!(r("mailto:a@b.dk"), None);
        assert_eq!(r("//cdn.example.dk/x"), None);
        let page = LinkBase {
            root: "/".into(),
            dir: String::new(),
            content: PathBuf::from("/nonexistent"),
            table_label: "Tabel",
        };
        assert_eq!(page.resolve("om-os.md").unwrap().unwrap(), "/om-os/");
        assert_eq!(page.resolve("../hu/").unwrap().unwrap(), "/hu/");
    }

    #[test]
    fn rendered_links_are_resolved() {
        let s = &render_item_body(
            Path::new("x.md"),
            "Se [bilag](bilag.pdf) og ![kort](kort.png).",
            1,
            &base(),
        )
        .unwrap()[0];
        assert!(
            s.html
                .contains("href=\"/referater/hu/2024-11-15/bilag.pdf\""),
            "{}",
            s.html
        );
        assert!(
            s.html.contains("src=\"/referater/hu/2024-11-15/kort.png\""),
            "{}",
            s.html
        );
    }

    #[test]
    fn collapse_spaces_cuts_where_split_whitespace_does() {
        let spaces: Vec<char> = (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert!(spaces.len() > 20);
        let mut cases = vec![
            String::new(),
            " ".into(),
            "a".into(),
            "  Æble  og\tøl\n\n".into(),
            "§ 17, stk. 4 – ikke\u{a0}godkendt\u{2028}x\u{3000}".into(),
            "\u{a7}\u{e1}\u{2013}\u{2060}\u{feff}".into(),
        ];
        for c in &spaces {
            cases.push(format!("{c}ord{c}{c}å{c}"));
            cases.push(format!("x{c}\u{a7}"));
        }
        for s in cases {
            let expected = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_spaces(&s), expected, "{s:?}");
        }
    }

    fn body(md: &str) -> Vec<Section> {
        render_item_body(Path::new("x.md"), md, 1, &base()).unwrap()
    }

    #[test]
    fn splits_on_level_two_headings_and_knows_their_kind() {
        let s = body(
            "Intro\n\n## Sagsfremstilling\nTekst\n\n## Indstilling:\nAt\n\n## Beslutning i KB den 01-02-2024\nGodkendt.\n\n## Høring\nIngen\n",
        );
        let kinds: Vec<_> = s.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SectionKind::Other,
                SectionKind::Presentation,
                SectionKind::Recommendation,
                SectionKind::Decision,
                SectionKind::Other
            ]
        );
        assert_eq!(s[0].heading, None);
        assert_eq!(
            s[3].heading.as_deref(),
            Some("Beslutning i KB den 01-02-2024")
        );
        assert_eq!(s[3].text, "Godkendt.");
    }

    #[test]
    fn only_the_bodys_own_headings_start_sections() {
        let s = body(
            "Intro\n\n> Citat\n>\n> ## Beslutning i citatet\n> tekst\n\n* punkt\n\n  ## Indstilling i listen\n  mere\n\n## Beslutning\nGodkendt.\n",
        );
        let kinds: Vec<_> = s.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [SectionKind::Other, SectionKind::Decision]);
        let html = &s[0].html;
        assert!(html.contains("<h2>Beslutning i citatet</h2>"), "{html}");
        assert!(html.contains("<h2>Indstilling i listen</h2>"), "{html}");
        for tag in ["blockquote", "ul", "li"] {
            assert_eq!(
                html.matches(&format!("<{tag}>")).count(),
                html.matches(&format!("</{tag}>")).count(),
                "{tag}: {html}"
            );
        }
        assert_eq!(s[1].text, "Godkendt.");
    }

    #[test]
    fn beslutnings_compounds_are_not_the_decision() {
        assert_eq!(section_kind("Beslutning"), SectionKind::Decision);
        assert_eq!(section_kind("Beslutningen"), SectionKind::Decision);
        assert_eq!(
            section_kind("Beslutning i KB den 01-02-2024"),
            SectionKind::Decision
        );
        assert_eq!(section_kind("Beslutningskompetence"), SectionKind::Other);
        assert_eq!(section_kind("Beslutningstema"), SectionKind::Other);
    }

    #[test]
    fn a_table_scrolls_in_an_area_the_keyboard_reaches() {
        let s = body("| a | <b>b</b> |\n| - | - |\n| 1 | 2 |\n\nEfter.\n");
        let html = &s[0].html;
        assert!(
            html.starts_with(
                "<div class=\"table-scroll\" role=\"region\" aria-label=\"Tabel\" tabindex=\"0\">\n<table>"
            ),
            "{html}"
        );
        assert!(html.contains("</table>\n</div>\n<p>Efter.</p>"), "{html}");
        assert!(html.contains("&lt;b&gt;b&lt;/b&gt;"), "{html}");
        assert_eq!(s[0].text, "a <b>b</b> 1 2 Efter.");
    }

    #[test]
    fn raw_html_is_escaped() {
        let s = body("<script>alert(1)</script>\n\nHej <b>du</b>\n");
        let html = &s[0].html;
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn script_links_are_errors_with_their_line() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:x",
            "java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            let md = format!("Linje et\n\n[klik]({url})\n");
            let md = md.replace('\t', "&#9;");
            let err = render_item_body(Path::new("x.md"), &md, 10, &base()).unwrap_err();
            assert_eq!(err[0].line, 12, "{url}");
            assert!(err[0].message.contains("not allowed"), "{url}");
        }
        assert!(
            render(
                Path::new("x"),
                "[a](https://x.dk) [b](../c/) [m](mailto:a@b.dk) <https://y.dk>",
                1,
                &base()
            )
            .is_ok()
        );
    }
}
