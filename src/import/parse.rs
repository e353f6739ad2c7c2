//! The text of one exported agenda item → an [`ImportedItem`].
//!
//! Published minutes are plain text: a title, a case line ("24/277 Åben
//! Sag"), then headed parts ("Sagsgang", "Sagsfremstilling", ...,
//! "Beslutning i Hovedudvalget den 15-11-2024", "Afbud:", "Bilag:"). The
//! text went through PDFs and web pages, so a sentence may be cut in two by
//! a page break, blank lines come and go, and headings may carry a colon.
//!
//! Which lines are headings is the hard part. Known headings are recognised
//! by name. Any other line is a heading only when it clearly looks like one
//! (short, no sentence punctuation, no verb-like words, between body text
//! and body text): a missed heading leaves the text readable as a
//! paragraph, a false one would turn a sentence into a title.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

/// What an exported item holds, typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedItem {
    pub title: String,
    pub case: Option<String>,
    /// "Lukket Sag", or any "lukket", "lukkede", "fortrolig" or "ikke
    /// offentlig" before the first heading: its title and body are private.
    pub closed: bool,
    /// "Sagsgang" entries as written (committee short names).
    pub route: Vec<String>,
    /// Body sections in order; empty ones are left out.
    pub sections: Vec<Section>,
    /// The decision that places the item: the latest dated one.
    pub decision: Option<Decision>,
    /// "Afbud" names.
    pub absent: Vec<String>,
    /// "Bilag" titles.
    pub attachments: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// `None` for text between the title and the first heading.
    pub heading: Option<String>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Lines of one paragraph (line breaks are soft in Markdown).
    Paragraph(Vec<String>),
    /// A bulleted list, or a numbered one with each item's number.
    List { ordered: bool, items: Vec<ListItem> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    pub number: u32,
    pub text: String,
}

/// A heading "Beslutning i <udvalg> den DD-MM-YYYY".
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub committee: Option<String>,
    pub date: Option<NaiveDate>,
    /// The heading has text under it; an agenda shows the heading alone.
    pub decided: bool,
}

/// What a heading line means.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Route,
    Absent,
    Attachments,
    Body,
    Decision {
        committee: Option<String>,
        date: Option<NaiveDate>,
    },
}

#[derive(Debug, Clone, PartialEq)]
struct Heading {
    kind: Kind,
    /// The heading as written, without a trailing colon.
    text: String,
    /// Text after "Heading:" on the same line.
    inline: Option<String>,
}

/// Headings of body sections seen in Danish minutes systems (lower case).
const BODY_HEADINGS: &[&str] = &[
    "sagsfremstilling",
    "supplerende sagsfremstilling",
    "sagsbeskrivelse",
    "resumé",
    "resume",
    "baggrund",
    "formål",
    "vurdering",
    "administrationens vurdering",
    "forvaltningens vurdering",
    "økonomi",
    "økonomiske konsekvenser",
    "økonomi og finansiering",
    "bevillingsmæssige konsekvenser",
    "personalemæssige konsekvenser",
    "miljømæssige konsekvenser",
    "klimamæssige konsekvenser",
    "handicappolitiske konsekvenser",
    "konsekvenser",
    "sammenhæng til andre politikker/strategier og fagområder",
    "sammenhæng til andre politikker og strategier",
    "sammenhæng til andre politikker",
    "indstilling",
    "lovgrundlag",
    "retsgrundlag",
    "retligt grundlag",
    "lovgivning",
    "høring",
    "høringssvar",
    "kommunikation",
    "tidsplan",
    "videre proces",
    "beslutningskompetence",
    "beslutningstema",
    "bemærkninger",
    "historik",
    "tidligere beslutninger",
    "sagens tidligere behandling",
    "problemstilling",
    "sammenfatning",
    "politisk behandling",
];

/// Headings that end the title part: a file starting with one has no title.
const CORE_HEADINGS: &[&str] = &["sagsfremstilling", "indstilling"];

fn known_kind(key: &str) -> Option<Kind> {
    match key {
        "sagsgang" => Some(Kind::Route),
        "afbud" | "fraværende" | "fravær" => Some(Kind::Absent),
        "bilag" | "bilagsliste" => Some(Kind::Attachments),
        k if BODY_HEADINGS.contains(&k) => Some(Kind::Body),
        _ => None,
    }
}

/// Finite verbs: a short line with one is a sentence, not a heading.
const VERBS: &[&str] = &[
    "er",
    "var",
    "har",
    "havde",
    "blev",
    "bliver",
    "skal",
    "skulle",
    "kan",
    "kunne",
    "vil",
    "ville",
    "må",
    "bør",
    "får",
    "fik",
    "gør",
    "gjorde",
    "går",
    "ser",
    "sker",
    "skete",
    "tager",
    "tog",
    "giver",
    "gav",
    "indstiller",
    "anbefaler",
    "foreslår",
    "godkender",
    "godkendte",
    "drøfter",
    "drøftede",
    "gennemgår",
    "gennemgik",
    "orienterer",
    "orienterede",
    "besluttede",
    "vedtog",
    "ønsker",
    "sluttede",
];

/// Pronouns that open sentences and words that lead in to what follows.
const SENTENCE_WORDS: &[&str] = &[
    "der",
    "det",
    "de",
    "vi",
    "jeg",
    "han",
    "hun",
    "man",
    "følgende",
    "nedenstående",
    "herunder",
    "således",
];

fn has_word(text: &str, list: &[&str]) -> bool {
    text.split_whitespace()
        .any(|w| list.contains(&w.to_lowercase().as_str()))
}

/// Words that cannot end a sentence: a paragraph ending in one was cut.
const FUNCTION_WORDS: &[&str] = &[
    "og", "i", "at", "til", "for", "af", "på", "med", "den", "det", "de", "en", "et", "som", "om",
    "fra", "ved", "eller", "samt", "hvor", "men", "når", "hvis", "efter", "under", "over",
    "mellem", "inden", "uden", "mod", "hos", "end", "da", "fordi", "så",
];

use crate::render::dates::MONTHS_DA as MONTHS;

const DATE: &str = r"\d{1,2}[-./]\d{1,2}[-./]\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s*(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december)\s+\d{4}";

static DECISION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^beslutning(?:en)?(?:\s+(?:i|fra|på)\s+(?P<name>.+?))?(?:\s*,?\s+(?:den\s+|d\.\s*)?(?P<date>{DATE}))?$"
    ))
    .unwrap()
});

// The noun is optional ("24/514 Lukket") and may be plural ("Lukkede
// punkter"); a dash or colon may stand between case and status.
static CASE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:sag(?:snr\.?|snummer|s?\s*nr\.?)?\s*:?\s*)?(?P<case>[^\s:]+)?\s*(?:[:,–-]\s*)?(?P<status>åben|åbent|åbne|lukket|lukkede)(?:\s+(?:sag|sager|punkt|punkter))?$",
    )
    .unwrap()
});

static CASE_LINE_STATUS_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<status>åben|åbent|åbne|lukket|lukkede)(?:\s+(?:sag|sager|punkt|punkter))?\s*[:,–-]?\s*(?P<case>\S+)?$")
        .unwrap()
});

/// Any mention of closedness or confidentiality. In the lines before the
/// first heading it closes the item whatever else they say: an open item
/// imported as closed only waits for someone to open it, a closed one
/// imported as open is published in full.
static CLOSED_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:lukke(?:t|de)|fortrolig\w*|ikke[\s\p{Pd}]*offentlig\w*)\b").unwrap()
});

/// A word broken at a line's end ("fortro-", "lig"): joined again.
static LINE_BREAK_HYPHEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{Pd}[ \t]*\n\s*").unwrap());

/// Whether a block of the header says the item is closed, wherever its
/// lines break and whatever dash or invisible hyphen PDF text put
/// between the words ("ikke⏎offentligt", "ikke‑offentlig", "fortro-⏎lig").
fn says_closed(block: &[String]) -> bool {
    let text: String = block
        .join("\n")
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'
            )
        })
        .collect();
    CLOSED_MARKER.is_match(&text)
        || CLOSED_MARKER.is_match(&LINE_BREAK_HYPHEN.replace_all(&text, ""))
}

static CASE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^sag(?:snr\.?|snummer|s\s*nr\.?)\s*:?\s*(?P<case>\S*\d\S*)$").unwrap()
});

static PAGE_FURNITURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:side|page)\s+\d+(?:\s*(?:af|of|/)\s*\d+)?$").unwrap());

static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<n>\d{1,2})[.)]\s+(?P<rest>\S.*)$").unwrap());

/// Parses one exported item, or says why the text is not one.
pub fn parse(text: &str) -> Result<ImportedItem, String> {
    let paragraphs = paragraphs(text);
    let blocks = split_strong_lines(&paragraphs);
    let mut title: Option<String> = None;
    let mut case: Option<String> = None;
    let mut closed = false;
    let mut found_structure = false;
    // Sections as found: heading (None for the lead text) and raw blocks.
    let mut raw: Vec<(Option<Heading>, Vec<Vec<String>>)> = vec![(None, Vec::new())];

    for (i, block) in blocks.iter().enumerate() {
        let single = (block.len() == 1).then(|| block[0].as_str());
        // The header: title, case line and whatever else stands before the
        // first heading.
        let header = raw.len() == 1;
        if header && says_closed(block) {
            closed = true;
        }
        // Every case line of the header counts ("Sagsnr.: 24/513", then
        // "Lukket sag"); a later one only if it adds something.
        if let Some(line) = single
            && let Some((c, is_closed)) = case_line(line)
            && (header || is_closed || case.is_none())
        {
            case = case.or(c);
            closed |= is_closed;
            found_structure = true;
            continue;
        }
        if title.is_none() {
            if let Some(h) = single.and_then(|l| heading(l, true)) {
                let key = h.text.to_lowercase();
                if CORE_HEADINGS.contains(&key.as_str())
                    || matches!(h.kind, Kind::Decision { .. } | Kind::Route)
                {
                    return Err(format!(
                        "no title: the text starts with the heading {:?}, not with the item's title",
                        h.text
                    ));
                }
            }
            let t = block.join(" ");
            if t.chars().count() > 300 {
                return Err(
                    "no title: the first paragraph is too long to be a title (over 300 characters)"
                        .into(),
                );
            }
            title = Some(t);
            continue;
        }
        if let Some(h) = single.and_then(|l| heading(l, true)) {
            found_structure = true;
            let mut blocks = Vec::new();
            if let Some(rest) = &h.inline {
                blocks.push(vec![rest.clone()]);
            }
            raw.push((Some(h), blocks));
            continue;
        }
        let (current_heading, current_blocks) = raw.last().expect("lead section");
        let in_lead = current_heading.is_none();
        if let Some(line) = single
            && (in_lead || !current_blocks.is_empty())
            && let Some(text) = generic_heading(line, blocks.get(i + 1))
        {
            raw.push((
                Some(Heading {
                    kind: Kind::Body,
                    text,
                    inline: None,
                }),
                Vec::new(),
            ));
            continue;
        }
        raw.last_mut().unwrap().1.push(block.clone());
    }

    let Some(title) = title else {
        return Err("no title: the file has no text".into());
    };
    if !found_structure {
        return Err(
            "not an exported agenda item: found no case line (such as \"24/277 Åben Sag\") and no known heading (such as \"Sagsfremstilling\" or \"Beslutning\")"
                .into(),
        );
    }

    let mut item = ImportedItem {
        title,
        case,
        closed,
        route: Vec::new(),
        sections: Vec::new(),
        decision: None,
        absent: Vec::new(),
        attachments: Vec::new(),
    };
    for (heading, blocks) in raw {
        let kind = heading.as_ref().map_or(Kind::Body, |h| h.kind.clone());
        let lines = || blocks.iter().flatten().map(String::as_str);
        match kind {
            Kind::Route => push_unique(&mut item.route, route_entries(lines())),
            Kind::Absent => push_unique(&mut item.absent, absentees(&blocks)),
            Kind::Attachments => push_unique(
                &mut item.attachments,
                lines().map(strip_list_mark).filter(|t| !t.is_empty()),
            ),
            Kind::Body | Kind::Decision { .. } => {
                let body = to_blocks(repair_page_breaks(blocks));
                if let Kind::Decision { committee, date } = kind {
                    let d = Decision {
                        committee,
                        date,
                        decided: !body.is_empty(),
                    };
                    // The latest decision places the item; a later heading wins a tie.
                    let later = item.decision.as_ref().is_none_or(|old| d.date >= old.date);
                    if later {
                        item.decision = Some(d);
                    }
                }
                if !body.is_empty() {
                    item.sections.push(Section {
                        heading: heading.map(|h| h.text),
                        blocks: body,
                    });
                }
            }
        }
    }
    Ok(item)
}

fn push_unique(list: &mut Vec<String>, new: impl IntoIterator<Item = String>) {
    for n in new {
        if !list.contains(&n) {
            list.push(n);
        }
    }
}

/// Trimmed lines grouped by blank lines; page numbers dropped.
fn paragraphs(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() || PAGE_FURNITURE.is_match(&line) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(line);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Known headings and case lines stand alone even when the export left no
/// blank line around them. The title's own first line is never split off.
fn split_strong_lines(paragraphs: &[Vec<String>]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (p, lines) in paragraphs.iter().enumerate() {
        let mut cur: Vec<String> = Vec::new();
        for (k, line) in lines.iter().enumerate() {
            // "Afbud: Anna" is a field wherever it stands; "Økonomi: ..."
            // inside a paragraph may be a sentence.
            let field = |h: Heading| {
                h.inline.is_none()
                    || k == 0
                    || matches!(h.kind, Kind::Route | Kind::Absent | Kind::Attachments)
            };
            let strong = case_line(line).is_some()
                || (p > 0 || k > 0) && heading(line, true).is_some_and(field);
            if strong {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                out.push(vec![line.clone()]);
            } else {
                cur.push(line.clone());
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// "24/277 Åben Sag" → (case, closed).
fn case_line(line: &str) -> Option<(Option<String>, bool)> {
    let line = line.trim_end_matches(':').trim();
    let caps = CASE_LINE
        .captures(line)
        .or_else(|| CASE_LINE_STATUS_FIRST.captures(line));
    if let Some(c) = caps {
        let case = c.name("case").map(|m| m.as_str().to_string());
        if case
            .as_deref()
            .is_some_and(|c| !c.contains(|ch: char| ch.is_ascii_digit()))
        {
            return None;
        }
        let closed = c["status"].to_lowercase().starts_with("lukke");
        return Some((case, closed));
    }
    CASE_ONLY
        .captures(line)
        .map(|c| (Some(c["case"].to_string()), false))
}

/// A known heading, alone on its line or (with `inline`) followed by
/// `: text`.
fn heading(line: &str, inline: bool) -> Option<Heading> {
    let bare = line.trim_end_matches([':', ' ']).trim();
    if let Some(h) = whole_heading(bare) {
        return Some(h);
    }
    if inline && let Some((head, rest)) = line.split_once(": ") {
        let rest = rest.trim();
        if let Some(mut h) = whole_heading(head.trim())
            && !rest.is_empty()
        {
            h.inline = Some(rest.to_string());
            return Some(h);
        }
    }
    None
}

fn whole_heading(bare: &str) -> Option<Heading> {
    if bare.is_empty() || bare.chars().count() > 120 {
        return None;
    }
    let key = bare.to_lowercase();
    let kind = match known_kind(&key) {
        Some(k) => k,
        None => {
            // "Beslutning i sagen blev ..." is a sentence about a decision.
            let c = DECISION.captures(bare)?;
            let name = c.name("name").map(|m| m.as_str().trim());
            if bare.ends_with('.') || name.is_some_and(|n| has_word(n, VERBS)) {
                return None;
            }
            Kind::Decision {
                committee: name.map(str::to_string),
                date: c.name("date").and_then(|m| parse_date(m.as_str())),
            }
        }
    };
    Some(Heading {
        kind,
        text: bare.to_string(),
        inline: None,
    })
}

/// `15-11-2024`, `15.11.2024`, `2024-11-15` or `15. november 2024`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().to_lowercase();
    let nums: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    if let Some(month) = MONTHS.iter().position(|m| s.contains(m)) {
        let (d, y) = (nums.first()?.parse().ok()?, nums.get(1)?.parse().ok()?);
        return NaiveDate::from_ymd_opt(y, month as u32 + 1, d);
    }
    let [a, b, c] = nums[..] else { return None };
    let (a, b, c): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?);
    if a > 31 {
        NaiveDate::from_ymd_opt(a as i32, b, c as u32)
    } else {
        NaiveDate::from_ymd_opt(c, b, a)
    }
}

/// A line that is not a known heading but is one by its look: short, no
/// sentence punctuation, no sentence words, and followed by body text that
/// starts a new sentence. With a colon it must be very short, since
/// "Proces i organisationen til nu:" introduces what follows.
fn generic_heading(line: &str, next: Option<&Vec<String>>) -> Option<String> {
    let colon = line.ends_with(':');
    let text = line.trim_end_matches(':').trim();
    let words: Vec<&str> = text.split_whitespace().collect();
    let first = text.chars().next()?;
    if !first.is_uppercase()
        || text.chars().count() > 60
        || words.len() > if colon { 3 } else { 6 }
        || text.contains(['.', ',', ';', '!', '?', ':', '(', '"', '»', '”'])
        || list_mark(text).is_some()
        || has_word(text, VERBS)
        || has_word(text, SENTENCE_WORDS)
        || ends_with_function_word(text)
    {
        return None;
    }
    let next = next?;
    let next_first = next[0].chars().next()?;
    let next_text = next.join(" ");
    let prose = next.len() >= 2 || next_text.chars().count() > 80 || ends_sentence(&next_text);
    let starts_sentence = next_first.is_uppercase() || next_first.is_ascii_digit();
    if !prose
        || !starts_sentence
        || list_mark(&next[0]).is_some()
        || next.len() == 1 && heading(&next[0], true).is_some()
    {
        return None;
    }
    Some(text.to_string())
}

fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches([')', '"', '”', '\'', '’', '»']);
    t.ends_with(['.', '!', '?', ':', ';'])
}

fn ends_with_function_word(text: &str) -> bool {
    text.split_whitespace()
        .last()
        .is_some_and(|w| FUNCTION_WORDS.contains(&w.to_lowercase().as_str()))
}

/// Joins paragraphs that a page break cut in two: one that ends without
/// sentence punctuation with a next one that starts in lower case, or one
/// that ends in a word no sentence ends with ("og", "i", "til").
fn repair_page_breaks(blocks: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for block in blocks {
        if let Some(prev) = out.last_mut() {
            let last = prev.last().expect("blocks have lines");
            let first = &block[0];
            let cut = !ends_sentence(last)
                && list_mark(first).is_none()
                && (first.chars().next().is_some_and(char::is_lowercase)
                    || ends_with_function_word(last)
                        && first.chars().next().is_some_and(char::is_alphanumeric));
            if cut {
                let joined = format!("{last} {first}");
                *prev.last_mut().unwrap() = joined;
                prev.extend(block.into_iter().skip(1));
                continue;
            }
        }
        out.push(block);
    }
    out
}

#[derive(Debug, PartialEq)]
enum Mark<'a> {
    Bullet(&'a str),
    Number(u32, &'a str),
}

/// "- x", "• x", "– x", "* x" are bullets; "1. x" and "1) x" numbers.
fn list_mark(line: &str) -> Option<Mark<'_>> {
    let first = line.chars().next()?;
    let rest = &line[first.len_utf8()..];
    match first {
        '-' | '*' | '+' if rest.starts_with(' ') => {
            let r = rest.trim_start();
            (!r.is_empty()).then_some(Mark::Bullet(r))
        }
        '•' | '▪' | '■' | '●' | '◦' | '·' | '–' | '—' | '\u{f0b7}' | '\u{f0a7}' => {
            let r = rest.trim_start();
            (!r.is_empty()).then_some(Mark::Bullet(r))
        }
        _ => NUMBERED.captures(line).map(|c| {
            let rest = c.name("rest").unwrap();
            Mark::Number(c["n"].parse().unwrap(), &line[rest.start()..])
        }),
    }
}

fn strip_list_mark(line: &str) -> String {
    match list_mark(line) {
        Some(Mark::Bullet(r)) | Some(Mark::Number(_, r)) => r.trim().to_string(),
        None => line.trim().to_string(),
    }
}

/// Raw blocks → paragraphs and lists. Consecutive list lines form one
/// list, also across blank lines; a line without a mark inside a list
/// continues the item before it.
fn to_blocks(raw: Vec<Vec<String>>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for lines in raw {
        let mut para: Vec<String> = Vec::new();
        let mut in_list = false;
        for line in lines {
            let mark = list_mark(&line).filter(|m| match m {
                Mark::Bullet(_) => true,
                Mark::Number(n, rest) => {
                    // "15. november 2024 ..." is a date, not item 15.
                    let month = MONTHS.iter().any(|m| rest.to_lowercase().starts_with(m));
                    let continues = (in_list || para.is_empty())
                        && matches!(out.last(), Some(Block::List { ordered: true, items })
                            if items.last().is_some_and(|i| i.number + 1 == *n));
                    !month && (*n == 1 || continues)
                }
            });
            match mark {
                Some(m) => {
                    if !para.is_empty() {
                        out.push(Block::Paragraph(std::mem::take(&mut para)));
                    }
                    let (ordered, item) = match m {
                        Mark::Bullet(t) => (
                            false,
                            ListItem {
                                number: 0,
                                text: t.to_string(),
                            },
                        ),
                        Mark::Number(n, t) => (
                            true,
                            ListItem {
                                number: n,
                                text: t.to_string(),
                            },
                        ),
                    };
                    let restart = ordered && item.number == 1;
                    match out.last_mut() {
                        Some(Block::List { ordered: o, items }) if *o == ordered && !restart => {
                            items.push(item)
                        }
                        _ => out.push(Block::List {
                            ordered,
                            items: vec![item],
                        }),
                    }
                    in_list = true;
                }
                None if in_list => {
                    if let Some(Block::List { items, .. }) = out.last_mut() {
                        let last = items.last_mut().expect("a list has items");
                        last.text.push(' ');
                        last.text.push_str(&line);
                    }
                }
                None => para.push(line),
            }
        }
        if !para.is_empty() {
            out.push(Block::Paragraph(para));
        }
    }
    out
}

/// "HU", "ØK, KB", "ØK → KB", one per line, ...
fn route_entries<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<String> {
    let text = lines.map(strip_list_mark).collect::<Vec<_>>().join("\n");
    let text = text
        .replace("->", "\n")
        .replace(" - ", "\n")
        .replace(" – ", "\n");
    let mut out = Vec::new();
    for part in text.split([',', ';', '\n', '→', '/', '>', '|']) {
        let part = part.trim().trim_end_matches('.').trim();
        if part.is_empty() {
            continue;
        }
        let words: Vec<&str> = part.split_whitespace().collect();
        let abbreviations = words.len() > 1 && words.iter().all(|w| is_abbreviation(w));
        if abbreviations {
            out.extend(words.iter().map(|w| w.to_string()));
        } else {
            out.push(part.to_string());
        }
    }
    let mut unique = Vec::new();
    push_unique(&mut unique, out);
    unique
}

/// "HU", "ØK", "KFU": a short name of a committee.
pub fn is_abbreviation(w: &str) -> bool {
    let n = w.chars().count();
    (1..=6).contains(&n)
        && w.chars().any(char::is_alphabetic)
        && w.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// One name per line; a single line may list several, separated by commas
/// or "og" (outside parentheses, where roles such as "Børne- og
/// familiechef" live).
fn absentees(blocks: &[Vec<String>]) -> Vec<String> {
    let lines: Vec<String> = blocks
        .iter()
        .flatten()
        .map(|l| strip_list_mark(l))
        .collect();
    let names: Vec<String> = if lines.len() == 1 {
        split_names(&lines[0])
    } else {
        lines
    };
    names
        .into_iter()
        .map(|n| {
            n.trim()
                .trim_end_matches(['.', ',', ';'])
                .trim()
                .to_string()
        })
        .filter(|n| {
            let k = n.to_lowercase();
            !n.is_empty() && !matches!(k.as_str(), "ingen" | "ingen afbud" | "-" | "–")
        })
        .collect()
}

fn split_names(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if depth == 0 && (c == ',' || c == ';') {
            out.push(std::mem::take(&mut cur));
            rest = &rest[1..];
            continue;
        }
        if depth == 0 && rest.starts_with(" og ") {
            out.push(std::mem::take(&mut cur));
            rest = &rest[4..];
            continue;
        }
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        cur.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out.push(cur);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    fn para(lines: &[&str]) -> Block {
        Block::Paragraph(lines.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn case_lines() {
        assert_eq!(
            case_line("24/277 Åben Sag"),
            Some((Some("24/277".into()), false))
        );
        assert_eq!(
            case_line("24/512 Lukket Sag"),
            Some((Some("24/512".into()), true))
        );
        assert_eq!(case_line("Lukket sag"), Some((None, true)));
        assert_eq!(
            case_line("Sagsnr.: 82.02.00-P19-1-23 Åben sag"),
            Some((Some("82.02.00-P19-1-23".into()), false))
        );
        assert_eq!(case_line("Åbent punkt"), Some((None, false)));
        assert_eq!(
            case_line("Sagsnr. 24/277"),
            Some((Some("24/277".into()), false))
        );
        assert_eq!(
            case_line("Sag: 24/516 - Lukket sag"),
            Some((Some("24/516".into()), true))
        );
        assert_eq!(
            case_line("24/514 Lukket"),
            Some((Some("24/514".into()), true))
        );
        assert_eq!(
            case_line("24/515 Lukkede punkter"),
            Some((Some("24/515".into()), true))
        );
        assert_eq!(case_line("LUKKET PUNKT"), Some((None, true)));
        assert_eq!(case_line("Der er en åben sag"), None);
        assert_eq!(case_line("Sagsfremstilling"), None);
    }

    #[test]
    fn any_closed_marker_before_the_first_heading_closes_the_item() {
        let body = "\n\nSagsfremstilling\n\nTekst.\n\nBeslutning i Økonomiudvalget den 02-12-2024\n\nGodkendt.\n";
        for head in [
            "Salg\n\n24/512 Lukket Sag",
            "Salg\n\nSagsnr.: 24/513\n\nLukket sag",
            "Salg\nSagsnr.: 24/513\nlukket sag",
            "Salg\n\nSag: 24/516 - Lukket sag",
            "Salg\n\n24/514 Lukket",
            "Salg\n\n24/515 Lukkede punkter",
            "Lukket punkt: Salg",
            "Salg\n\n24/517 Åben sag\n\nLukket punkt",
            "Lukket sag\n\nSalg\n\nSagsnr. 24/518",
            "Salg\n\n24/519 Åben sag\n\nBehandles for lukkede døre.",
            "Salg\n\n24/520 Fortroligt",
            "Salg\n\n24/521 Ikke offentlig",
            "Salg\n\n24/522\n\nPunktet behandles som ikke\noffentligt punkt.",
            "Salg\n\n24/523 Ikke\u{2011}offentlig",
            "Salg\n\n24/524 Ikke\u{2013}offentlig",
            "Salg\n\n24/525 Ikke\u{ad}offentlig",
            "Salg\n\n24/526 Ikke\u{a0}offentlig",
            "Salg\n\n24/527 Behandles som fortro-\nligt punkt",
            "Salg\n\n24/528 Ikke-\noffentlig",
        ] {
            let item = parse(&format!("{head}{body}")).unwrap();
            assert!(item.closed, "{head:?} was read as open");
        }
        let item =
            parse("Salg\n\nSagsnr.: 24/513\n\nLukket sag\n\nSagsfremstilling\n\nTekst.\n").unwrap();
        assert_eq!(item.case.as_deref(), Some("24/513"));
        assert_eq!(item.title, "Salg");
        // Open only when nothing says closed; the body may say it.
        for head in ["Salg\n\n24/277 Åben Sag", "Salg\n\nÅbent punkt"] {
            let item = parse(&format!(
                "{head}\n\nSagsfremstilling\n\nButikken er lukket om søndagen.\n"
            ))
            .unwrap();
            assert!(!item.closed, "{head:?} was read as closed");
        }
    }

    #[test]
    fn decision_headings() {
        let h = heading("Beslutning i Hovedudvalget den 15-11-2024", true).unwrap();
        assert_eq!(
            h.kind,
            Kind::Decision {
                committee: Some("Hovedudvalget".into()),
                date: d(2024, 11, 15)
            }
        );
        let h = heading("Beslutning i Udvalget for den grønne omstilling:", true).unwrap();
        assert_eq!(
            h.kind,
            Kind::Decision {
                committee: Some("Udvalget for den grønne omstilling".into()),
                date: None
            }
        );
        assert_eq!(h.text, "Beslutning i Udvalget for den grønne omstilling");
        let h = heading("Beslutning i Byrådet den 3. december 2024", true).unwrap();
        assert_eq!(
            h.kind,
            Kind::Decision {
                committee: Some("Byrådet".into()),
                date: d(2024, 12, 3)
            }
        );
        let h = heading("Beslutning den 01.02.2025", true).unwrap();
        assert_eq!(
            h.kind,
            Kind::Decision {
                committee: None,
                date: d(2025, 2, 1)
            }
        );
        // A sentence about a decision, and "Beslutningskompetence", are not decisions.
        assert!(heading("Beslutningen blev, at sagen udsættes.", true).is_none());
        assert!(heading("Beslutning i sagen er truffet", true).is_none());
        assert_eq!(
            heading("Beslutningskompetence", true).unwrap().kind,
            Kind::Body
        );
    }

    #[test]
    fn headings_with_colons_and_inline_text() {
        assert_eq!(heading("Økonomi:", false).unwrap().text, "Økonomi");
        assert_eq!(
            heading("SAGSFREMSTILLING", false).unwrap().text,
            "SAGSFREMSTILLING"
        );
        let h = heading("Sagsgang: ØK, KB", true).unwrap();
        assert_eq!((h.kind, h.inline.as_deref()), (Kind::Route, Some("ØK, KB")));
        assert!(heading("Sagsgang: ØK, KB", false).is_none());
        assert!(heading("Økonomien er presset", true).is_none());
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("15-11-2024"), d(2024, 11, 15));
        assert_eq!(parse_date("2024-11-15"), d(2024, 11, 15));
        assert_eq!(parse_date("5. maj 2025"), d(2025, 5, 5));
        assert_eq!(parse_date("31-02-2024"), None);
    }

    #[test]
    fn generic_headings_are_chosen_conservatively() {
        let body = vec!["Planen blev vedtaget i 2023 og gælder til 2026.".to_string()];
        let list = vec!["- Tema på lederdag".to_string()];
        let short = vec!["Henrik Fuglsang".to_string()];
        assert_eq!(
            generic_heading("Særlige forhold", Some(&body)).as_deref(),
            Some("Særlige forhold")
        );
        assert_eq!(
            generic_heading("Særlige forhold:", Some(&body)).as_deref(),
            Some("Særlige forhold")
        );
        // A lead-in to a list or text, a one-line paragraph, a name.
        assert_eq!(
            generic_heading("Hovedudvalget gennemgår følgende", Some(&body)),
            None
        );
        assert_eq!(
            generic_heading("Proces i organisationen til nu:", Some(&body)),
            None
        );
        assert_eq!(generic_heading("Særlige forhold", Some(&list)), None);
        assert_eq!(generic_heading("Lisette Jørgensen", Some(&short)), None);
        assert_eq!(
            generic_heading("Der er sammenhæng til Vores Norddjurs", Some(&body)),
            None
        );
        assert_eq!(generic_heading("Mødet sluttede kl. 16", Some(&body)), None);
        assert_eq!(generic_heading("Særlige forhold", None), None);
        let lower = vec!["for et bestemt område.".to_string()];
        assert_eq!(generic_heading("Særlige forhold", Some(&lower)), None);
    }

    #[test]
    fn page_breaks_are_repaired() {
        let blocks = vec![
            vec!["Beslutninger inden".to_string()],
            vec!["for et bestemt område.".to_string()],
            vec!["Udvalget drøftede planen og".to_string()],
            vec!["Hovedudvalget tog den til efterretning.".to_string()],
            vec!["Ny sætning.".to_string()],
            vec!["med lille forbogstav efter punktum".to_string()],
        ];
        assert_eq!(
            repair_page_breaks(blocks),
            vec![
                vec!["Beslutninger inden for et bestemt område.".to_string()],
                vec![
                    "Udvalget drøftede planen og Hovedudvalget tog den til efterretning."
                        .to_string()
                ],
                vec!["Ny sætning.".to_string()],
                vec!["med lille forbogstav efter punktum".to_string()],
            ]
        );
    }

    #[test]
    fn a_whole_item_with_page_numbers_and_no_blank_lines() {
        let item = parse(
            "Budget\n24/1 Åben Sag\nSagsfremstilling\nTeksten fortsætter\n\nSide 2 af 3\n\npå næste side.\nBeslutning i Byrådet den 5. maj 2025\nGodkendt.\nAfbud: Anna og Bo\n",
        )
        .unwrap();
        assert_eq!(item.title, "Budget");
        assert_eq!(item.case.as_deref(), Some("24/1"));
        assert_eq!(
            item.sections,
            vec![
                Section {
                    heading: Some("Sagsfremstilling".into()),
                    blocks: vec![para(&["Teksten fortsætter på næste side."])],
                },
                Section {
                    heading: Some("Beslutning i Byrådet den 5. maj 2025".into()),
                    blocks: vec![para(&["Godkendt."])],
                },
            ]
        );
        assert_eq!(
            item.decision,
            Some(Decision {
                committee: Some("Byrådet".into()),
                date: d(2025, 5, 5),
                decided: true
            })
        );
        assert_eq!(item.absent, ["Anna", "Bo"]);
    }

    #[test]
    fn the_latest_decision_places_the_item() {
        let item = parse(
            "Regnskab\n\n25/9 Åben Sag\n\nBeslutning i Økonomiudvalget den 02-12-2024\n\nAnbefales.\n\nBeslutning i Kommunalbestyrelsen den 16-12-2024\n\nGodkendt.\n",
        )
        .unwrap();
        let d = item.decision.unwrap();
        assert_eq!(d.committee.as_deref(), Some("Kommunalbestyrelsen"));
        assert_eq!(item.sections.len(), 2);
        // An agenda prints the heading with nothing under it: no decision yet.
        let agenda =
            parse("Regnskab\n\n25/9 Åben Sag\n\nBeslutning i Økonomiudvalget den 02-12-2024\n")
                .unwrap();
        assert!(!agenda.decision.unwrap().decided);
        assert!(agenda.sections.is_empty());
    }

    #[test]
    fn lists_are_gathered() {
        let raw = vec![
            vec!["Proces:".to_string()],
            vec![
                "- Et".to_string(),
                "• To".to_string(),
                "fortsat".to_string(),
            ],
            vec!["– Tre".to_string()],
            vec!["1. A".to_string(), "2) B".to_string()],
            vec!["3. C".to_string()],
            vec!["15. november 2024 holdt udvalget møde.".to_string()],
        ];
        let item = |n, t: &str| ListItem {
            number: n,
            text: t.to_string(),
        };
        assert_eq!(
            to_blocks(raw),
            vec![
                para(&["Proces:"]),
                Block::List {
                    ordered: false,
                    items: vec![item(0, "Et"), item(0, "To fortsat"), item(0, "Tre")]
                },
                Block::List {
                    ordered: true,
                    items: vec![item(1, "A"), item(2, "B"), item(3, "C")]
                },
                para(&["15. november 2024 holdt udvalget møde."]),
            ]
        );
    }

    #[test]
    fn routes() {
        let r = |s: &str| route_entries(s.lines());
        assert_eq!(r("HU"), ["HU"]);
        assert_eq!(r("ØK, KB"), ["ØK", "KB"]);
        assert_eq!(r("ØK → KB\nKB"), ["ØK", "KB"]);
        assert_eq!(r("ØK KB"), ["ØK", "KB"]);
        assert_eq!(
            r("Teknik og Miljø - Byrådet"),
            ["Teknik og Miljø", "Byrådet"]
        );
    }

    #[test]
    fn absentees_one_per_line_or_listed() {
        let b = |s: &[&str]| absentees(&[s.iter().map(|x| x.to_string()).collect()]);
        assert_eq!(
            b(&[
                "Anne-Marie Bentzen (Sundhed- og omsorgschef)",
                "Henrik Fuglsang"
            ]),
            [
                "Anne-Marie Bentzen (Sundhed- og omsorgschef)",
                "Henrik Fuglsang"
            ]
        );
        assert_eq!(
            b(&["Anna Jensen, Bo Holm (Formand, V) og Carl Berg."]),
            ["Anna Jensen", "Bo Holm (Formand, V)", "Carl Berg"]
        );
        assert!(b(&["Ingen"]).is_empty());
    }
}
