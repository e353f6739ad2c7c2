//! An [`ImportedItem`] → the text of an item file: TOML front matter and a
//! Markdown body with the sections as level-2 headings.
//!
//! The exported text is plain text, not Markdown: every character that
//! Markdown would read as markup is escaped, so that "*" or "<b>" in old
//! minutes is published as the character it is.

use toml_edit::{Array, DocumentMut, InlineTable, Value, value};

use crate::import::parse::{Block, ImportedItem};

/// An attachment as it goes into the front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct AttachmentRef {
    pub title: String,
    /// Relative to the meeting folder.
    pub file: String,
}

/// What the web team may publish of a closed item, written by hand into
/// its file: an import keeps it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PublicParts {
    pub public_title: Option<String>,
    pub public_decision: Option<String>,
}

/// What the item file says besides the parsed text: the route as resolved
/// against the site's committees, and attachments found as files.
pub struct ItemFile<'a> {
    pub item: &'a ImportedItem,
    pub route: &'a [String],
    pub attachments: &'a [AttachmentRef],
    /// "Bilag" titles without a file: listed as text in a "Bilag" section.
    pub unfiled: &'a [String],
    /// Written only for a closed item.
    pub public: &'a PublicParts,
}

impl ItemFile<'_> {
    pub fn render(&self) -> String {
        let item = self.item;
        let mut fm = DocumentMut::new();
        fm["title"] = value(item.title.as_str());
        if let Some(case) = &item.case {
            fm["case"] = value(case.as_str());
        }
        if !self.route.is_empty() {
            fm["route"] = value(Array::from_iter(self.route.iter().map(String::as_str)));
        }
        if item.closed {
            // No public_title of its own: the interface's "Lukket punkt" is
            // shown until someone decides what may be said.
            fm["closed"] = value(true);
            if let Some(t) = &self.public.public_title {
                fm["public_title"] = value(t.as_str());
            }
            if let Some(d) = &self.public.public_decision {
                fm["public_decision"] = value(d.as_str());
            }
        }
        if !self.attachments.is_empty() {
            let mut list = Array::new();
            for a in self.attachments {
                let mut t = InlineTable::new();
                t.insert("title", a.title.as_str().into());
                t.insert("file", a.file.as_str().into());
                let mut v = Value::InlineTable(t);
                v.decor_mut().set_prefix("\n  ");
                list.push_formatted(v);
            }
            list.set_trailing_comma(true);
            list.set_trailing("\n");
            fm["attachments"] = value(list);
        }

        let mut out = format!("+++\n{fm}+++\n");
        for section in &item.sections {
            out.push('\n');
            if let Some(h) = &section.heading {
                out.push_str(&format!("## {}\n\n", escape_heading(h)));
            }
            for (i, block) in section.blocks.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                write_block(&mut out, block);
            }
        }
        if !self.unfiled.is_empty() {
            out.push_str("\n## Bilag\n\n");
            for t in self.unfiled {
                out.push_str(&format!("- {}\n", escape_line(t)));
            }
        }
        out
    }
}

fn write_block(out: &mut String, block: &Block) {
    match block {
        Block::Paragraph(lines) => {
            for line in lines {
                out.push_str(&escape_line(line));
                out.push('\n');
            }
        }
        Block::List { ordered, items } => {
            for item in items {
                if *ordered {
                    out.push_str(&format!("{}. ", item.number));
                } else {
                    out.push_str("- ");
                }
                out.push_str(&escape_line(&item.text));
                out.push('\n');
            }
        }
    }
}

/// Escapes what Markdown reads as markup inside a line.
pub fn escape_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // "&amp;" would be read as an entity, "R&D" is fine.
            '&' if looks_like_entity(&s[i + 1..]) => out.push_str("\\&"),
            c => out.push(c),
        }
    }
    out
}

fn looks_like_entity(after: &str) -> bool {
    let body: String = after
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
        .collect();
    !body.is_empty() && after[body.len()..].starts_with(';')
}

/// Escapes a line that starts a paragraph line or a list item: what would
/// open a heading, a quote, a list or a rule there is escaped too.
pub fn escape_line(s: &str) -> String {
    let e = escape_inline(s);
    if e.starts_with(['#', '>', '+', '-', '=']) {
        return format!("\\{e}");
    }
    let digits = e.len() - e.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && e[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &e[..digits], &e[digits..]);
    }
    e
}

/// A heading's text: a `#` at its end would close the heading.
fn escape_heading(s: &str) -> String {
    escape_inline(s).replace('#', "\\#")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::parse::{ListItem, Section};

    fn render_md(md: &str) -> String {
        let sections = crate::load::markdown::render_item_body(
            std::path::Path::new("x.md"),
            md,
            1,
            &crate::load::markdown::LinkBase {
                root: "/".into(),
                dir: String::new(),
                content: std::path::PathBuf::new(),
                table_label: "Tabel",
            },
        )
        .unwrap();
        sections.iter().map(|s| s.html.as_str()).collect()
    }

    #[test]
    fn plain_text_stays_plain_text() {
        for text in [
            "*ikke fed* og _ikke kursiv_",
            "<b>ikke html</b> &amp; ikke en entitet",
            "[ikke et link](https://x.dk)",
            "`ikke kode` og ~~ikke overstreget~~ a\\b",
            "# ikke en overskrift",
            "> ikke et citat",
            "- ikke en liste",
            "2. ikke en nummereret liste",
            "15) heller ikke",
            "+ ikke",
            "===",
            "a | b",
        ] {
            let md = escape_line(text);
            let html = render_md(&format!("{md}\n"));
            let expected = format!(
                "<p>{}</p>\n",
                text.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
            );
            assert_eq!(html, expected, "{text:?} was written as {md:?}");
        }
        assert_eq!(
            escape_line("R&D og Børne- og familiechef"),
            "R&D og Børne- og familiechef"
        );
    }

    #[test]
    fn renders_front_matter_sections_and_lists() {
        let item = ImportedItem {
            title: "Titel med \"citat\"".into(),
            case: Some("24/277".into()),
            closed: false,
            route: vec![],
            sections: vec![Section {
                heading: Some("Sagsfremstilling".into()),
                blocks: vec![
                    Block::Paragraph(vec!["Første linje".into(), "anden linje.".into()]),
                    Block::List {
                        ordered: true,
                        items: vec![
                            ListItem {
                                number: 1,
                                text: "Et".into(),
                            },
                            ListItem {
                                number: 2,
                                text: "To".into(),
                            },
                        ],
                    },
                ],
            }],
            decision: None,
            absent: vec![],
            attachments: vec![],
        };
        let route = vec!["HU".to_string()];
        let att = vec![AttachmentRef {
            title: "Plan".into(),
            file: "01-plan.pdf".into(),
        }];
        let text = ItemFile {
            item: &item,
            route: &route,
            attachments: &att,
            unfiled: &["Notat".to_string()],
            public: &PublicParts::default(),
        }
        .render();
        assert_eq!(
            text,
            "+++\ntitle = 'Titel med \"citat\"'\ncase = \"24/277\"\nroute = [\"HU\"]\nattachments = [\n  { title = \"Plan\", file = \"01-plan.pdf\" },\n]\n+++\n\n## Sagsfremstilling\n\nFørste linje\nanden linje.\n\n1. Et\n2. To\n\n## Bilag\n\n- Notat\n"
        );
    }
}
