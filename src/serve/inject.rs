//! What `serve` adds to the HTML pages it serves (never to built files):
//! the live-reload script and, while the content has problems, the error
//! overlay.

use crate::render::i18n::ServeStrings;

/// The server-sent events endpoint the live-reload script listens to.
pub const EVENTS_PATH: &str = "/__protokol/events";

/// The same escaping as the theme's templates.
use crate::escape::html as escape_html;

/// The script that reloads the page when a build newer than `generation`
/// finishes (or failed: the reload then shows the overlay).
pub fn reload_script(generation: u64) -> String {
    format!(
        "<script data-protokol-serve>(function(){{var g=\"{generation}\";\
var s=new EventSource(\"{EVENTS_PATH}\");\
s.addEventListener(\"build\",function(e){{if(e.data!==g){{s.close();location.reload();}}}});}})();</script>"
    )
}

/// The overlay that lists the problems of the last build attempt.
pub fn error_overlay(t: &ServeStrings, errors: &str, no_site: bool) -> String {
    let note = if no_site { t.no_site_yet } else { t.error_note };
    format!(
        "<div id=\"protokol-serve-error\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;z-index:2147483647;\
max-height:60vh;overflow:auto;margin:0;padding:1rem 1.5rem;background:#fff4f4;color:#000;\
border-top:4px solid #b00020;font:16px/1.4 system-ui,sans-serif;box-shadow:0 -2px 12px rgba(0,0,0,.3)\">\
<h2 style=\"margin:0 0 .5rem;font-size:1.25rem;color:#8b0018\">{}</h2><p style=\"margin:0 0 .5rem\">{}</p>\
<pre style=\"margin:0;white-space:pre-wrap;font:14px/1.4 ui-monospace,monospace\">{}</pre></div>",
        escape_html(t.error_title),
        escape_html(note),
        escape_html(errors)
    )
}

/// Inserts `extra` before the page's last `</body>` (any case), or at the
/// end when there is none.
pub fn inject(html: &[u8], extra: &str) -> Vec<u8> {
    let at = rfind_ascii_case_insensitive(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ascii_case_insensitive(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// A page for when there is no site to serve yet: the first build failed.
pub fn no_site_page(lang: &str, t: &ServeStrings, errors: &str, generation: u64) -> Vec<u8> {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{}</title></head><body>{}{}</body></html>\n",
        escape_html(t.error_title),
        error_overlay(t, errors, true),
        reload_script(generation)
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::i18n::SERVE_DA;

    #[test]
    fn goes_before_the_last_body_end() {
        let out = inject(b"<p>a</p></BODY></html>", "<script></script>");
        assert_eq!(out, b"<p>a</p><script></script></BODY></html>");
        let out = inject(b"<p>no body end</p>", "X");
        assert_eq!(out, b"<p>no body end</p>X");
    }

    #[test]
    fn the_overlay_escapes_what_it_shows() {
        let html = error_overlay(
            &SERVE_DA,
            "content/<script>alert(1)</script>/01-a.md:3: unknown field `x\"`",
            false,
        );
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("content/&lt;script&gt;alert(1)&lt;/script&gt;/01-a.md:3:"));
        assert!(html.contains("`x&quot;`"));
        assert!(html.contains(SERVE_DA.error_title));
    }
}
