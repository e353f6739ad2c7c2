//! The HTTP side of `serve`: files from memory, 404 page, redirects for
//! folders without their slash, live-reload events.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, ResponseBox, StatusCode};

use crate::load::nfc;
use crate::output::Content;
use crate::render::i18n::serve_strings;
use crate::serve::inject::{self, EVENTS_PATH};
use crate::serve::state::Shared;
use crate::urls::percent_decode;

/// How often an idle event stream sends a comment, to notice closed tabs.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// Answers one request. Event streams are handed to their own thread.
pub fn handle(shared: &Arc<Shared>, request: Request, port: u16) {
    if !host_allowed(&request, port) {
        // A page on another site that resolves its name to 127.0.0.1
        // (DNS rebinding) must not read the local site.
        let _ = request.respond(text(403, "Forbidden: unknown Host\n"));
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(text(405, "Method not allowed\n"));
        return;
    }
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    if path == EVENTS_PATH {
        let shared = Arc::clone(shared);
        std::thread::spawn(move || events(&shared, request));
        return;
    }
    let Some(path) = percent_decode(path) else {
        let _ = request.respond(text(400, "Bad request: the path is not valid UTF-8\n"));
        return;
    };
    let response = respond_to(shared, &path, query);
    let _ = request.respond(response);
}

fn respond_to(shared: &Shared, path: &str, query: &str) -> ResponseBox {
    let status = shared.status();
    let t = serve_strings(status.language);
    if !status.has_site {
        let errors = status.errors.as_deref().unwrap_or("");
        let page = inject::no_site_page(status.language.code(), t, errors, status.generation);
        return bytes(503, "text/html; charset=utf-8", page);
    }
    let rel = nfc(path.trim_start_matches('/'));
    if rel.split('/').any(|s| s == "..") {
        return text(400, "Bad request\n");
    }
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    let (code, key, content) = match shared.files.get(&key) {
        Some(c) => (200, key, c),
        None => {
            let folder = format!("{rel}/index.html");
            if !rel.is_empty() && !rel.ends_with('/') && shared.files.contains(&folder) {
                let mut location = format!("/{}/", encode_path(&rel));
                if !query.is_empty() {
                    location.push('?');
                    location.push_str(query);
                }
                return redirect(&location);
            }
            match shared.files.get("404.html") {
                Some(c) => (404, "404.html".to_string(), c),
                None => return text(404, "Not found\n"),
            }
        }
    };
    let ctype = content_type(&key);
    if let Content::Copy(source) = &content
        && !ctype.starts_with("text/html")
    {
        // Streamed from its source: an attachment may be large.
        return match std::fs::File::open(source) {
            // With its length, not chunked: a download shows its progress.
            Ok(file) => with_headers(
                Response::from_file(file)
                    .with_chunked_threshold(usize::MAX)
                    .boxed(),
                code,
                ctype,
            ),
            Err(_) => text(404, "Not found\n"),
        };
    }
    let Ok(body) = content.into_bytes() else {
        // A copied file that went away since the last build.
        return text(404, "Not found\n");
    };
    let body = if ctype.starts_with("text/html") {
        let mut extra = String::new();
        if let Some(errors) = &status.errors {
            extra.push_str(&inject::error_overlay(t, errors, false));
        }
        extra.push_str(&inject::reload_script(status.generation));
        inject::inject(&body, &extra)
    } else {
        body
    };
    bytes(code, ctype, body)
}

/// A stream of server-sent events: `build` with the generation, at once
/// and after every build.
fn events(shared: &Shared, request: Request) {
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if out.write_all(head.as_bytes()).is_err() {
        return;
    }
    let mut seen = shared.status().generation;
    let mut message = format!("retry: 1000\nevent: build\ndata: {seen}\n\n");
    loop {
        if out.write_all(message.as_bytes()).is_err() || out.flush().is_err() {
            return; // the tab was closed
        }
        let now = shared.wait_for_change(seen, KEEPALIVE);
        message = if now == seen {
            ": keep-alive\n\n".to_string()
        } else {
            seen = now;
            format!("event: build\ndata: {now}\n\n")
        };
    }
}

fn host_allowed(request: &Request, port: u16) -> bool {
    let Some(host) = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_ascii_lowercase())
    else {
        return true; // HTTP/1.0 clients send none
    };
    let name = host
        .strip_suffix(&format!(":{port}"))
        .unwrap_or(host.as_str());
    matches!(name, "127.0.0.1" | "localhost" | "[::1]")
}

fn encode_path(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn bytes(code: u16, ctype: &str, body: Vec<u8>) -> ResponseBox {
    with_headers(Response::from_data(body).boxed(), code, ctype)
}

fn with_headers(response: ResponseBox, code: u16, ctype: &str) -> ResponseBox {
    response
        .with_status_code(StatusCode(code))
        .with_header(header("Content-Type", ctype))
        .with_header(header("Cache-Control", "no-store"))
}

fn text(code: u16, body: &str) -> ResponseBox {
    bytes(code, "text/plain; charset=utf-8", body.as_bytes().to_vec())
}

fn redirect(location: &str) -> ResponseBox {
    bytes(301, "text/plain; charset=utf-8", Vec::new()).with_header(header("Location", location))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_decoded() {
        assert_eq!(percent_decode("/m%C3%B8de/").unwrap(), "/møde/");
        assert_eq!(percent_decode("/a%2").unwrap(), "/a%2");
        assert_eq!(percent_decode("/%FF"), None);
        assert_eq!(encode_path("møde/a b"), "m%C3%B8de/a%20b");
    }

    #[test]
    fn types_follow_extensions() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("a/bilag.PDF"), "application/pdf");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
