//! OParl 1.1 object types, as far as protokol's model fills them.
//!
//! Fields follow the official schemas (schema.oparl.org/1.1); empty
//! optional fields are left out, as the specification recommends. What the
//! model has beyond the standard goes into `protokol:` properties, the
//! specification's vendor-prefix mechanism.

use serde::Serialize;

pub const OPARL_VERSION: &str = "https://schema.oparl.org/1.1/";

pub fn kind(name: &str) -> String {
    format!("https://schema.oparl.org/1.1/{name}")
}

fn no(v: &bool) -> bool {
    !*v
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct System {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub oparl_version: &'static str,
    pub body: String,
    pub name: String,
    pub website: String,
    pub web: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Body {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub system: String,
    pub name: String,
    pub website: String,
    pub organization: String,
    pub person: String,
    pub meeting: String,
    pub paper: String,
    /// Required by the schema; the model knows no terms of office.
    pub legislative_term: Vec<()>,
    pub web: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub body: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    pub organization_type: &'static str,
    pub classification: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub membership: Vec<String>,
    pub web: String,
    #[serde(
        rename = "protokol:description",
        skip_serializing_if = "String::is_empty"
    )]
    pub description: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub body: String,
    pub name: String,
    pub membership: Vec<Membership>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// Left out inside the person it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    pub organization: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Meeting<'a> {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub meeting_state: &'static str,
    #[serde(skip_serializing_if = "no")]
    pub cancelled: bool,
    /// Local midnight when meeting.toml gives no time (see `all_day`).
    pub start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    pub organization: Vec<String>,
    /// Without their `protokol:sections`: the full text is in each item's
    /// own file, so that meeting lists stay small.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub agenda_item: Vec<AgendaItem<'a>>,
    pub web: String,
    #[serde(rename = "protokol:date")]
    pub date: String,
    #[serde(rename = "protokol:allDay", skip_serializing_if = "no")]
    pub all_day: bool,
    /// `agenda`, `minutes` or `cancelled`, as in meeting.toml.
    #[serde(rename = "protokol:status")]
    pub status: &'static str,
    #[serde(
        rename = "protokol:absent",
        skip_serializing_if = "<[String]>::is_empty"
    )]
    pub absent: &'a [String],
    #[serde(rename = "protokol:noteHtml", skip_serializing_if = "Option::is_none")]
    pub note_html: Option<&'a str>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub description: String,
    /// Left out inside a meeting.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub meetings: Vec<String>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct AgendaItem<'a> {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// Left out inside the meeting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting: Option<String>,
    pub number: String,
    pub order: u32,
    pub name: &'a str,
    pub public: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consultation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub auxiliary_file: Vec<File>,
    pub web: String,
    /// Every section of an open item, in its file's order: the decision is
    /// also `resolutionText`; presentation, economy, recommendation and
    /// other headings have no OParl field.
    #[serde(rename = "protokol:sections", skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section<'a>>,
}

#[derive(Serialize, Clone)]
pub struct Section<'a> {
    /// `presentation`, `economy`, `recommendation`, `decision` or `other`.
    pub kind: crate::model::SectionKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<&'a str>,
    pub text: &'a str,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct File {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub file_name: String,
    pub mime_type: &'static str,
    pub date: String,
    pub size: u64,
    pub access_url: String,
    pub download_url: String,
    /// The objects using the file; left out where the file is embedded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub meeting: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub agenda_item: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paper: Vec<String>,
    /// The attachment's path in its meeting folder; not published.
    #[serde(skip)]
    pub file_path: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Paper {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub body: String,
    pub name: String,
    pub reference: String,
    pub date: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub auxiliary_file: Vec<File>,
    pub consultation: Vec<Consultation>,
    pub web: String,
    /// The route (Sagsgang) as the newest item writes it: committee short names.
    #[serde(rename = "protokol:route", skip_serializing_if = "Vec::is_empty")]
    pub route: Vec<String>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Consultation {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// Left out inside the paper.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paper: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agenda_item: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting: Option<String>,
    pub organization: Vec<String>,
    /// A committee of the route that has not had the case on an agenda yet.
    #[serde(rename = "protokol:planned", skip_serializing_if = "no")]
    pub planned: bool,
}

/// Media type by file extension; files are published as they are.
pub fn mime_type(file: &str) -> &'static str {
    let ext = std::path::Path::new(file)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "odp" => "application/vnd.oasis.opendocument.presentation",
        "rtf" => "application/rtf",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "htm" | "html" => "text/html",
        "xml" => "application/xml",
        "json" => "application/json",
        "zip" => "application/zip",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "tif" | "tiff" => "image/tiff",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}
