//! Where each OParl object is published. An object's `id` is the absolute
//! URL of its own file, so a static host serves every object at its id, as
//! OParl requires ("jedes Objekt muss unter seiner ID abrufbar sein").
//!
//! Paths are built from names that are public already (committee folder,
//! meeting folder, agenda number, case slug, attachment file): never from
//! the file name of a closed item, whose slug is private.

use crate::model::{CaseNumber, Committee, Meeting};

pub const ROOT: &str = "oparl/v1";

pub fn system() -> String {
    format!("{ROOT}/system.json")
}

pub fn body() -> String {
    format!("{ROOT}/body.json")
}

/// Page `page` (1-based) of an external list: `bodies.json`,
/// `meetings.json`, `meetings-2.json`, …
pub fn list(name: &str, page: usize) -> String {
    if page <= 1 {
        format!("{ROOT}/{name}.json")
    } else {
        format!("{ROOT}/{name}-{page}.json")
    }
}

pub fn organization(c: &Committee) -> String {
    format!("{ROOT}/organization/{}.json", c.slug)
}

pub fn person(key: &str) -> String {
    format!("{ROOT}/person/{key}.json")
}

pub fn membership(c: &Committee, person_key: &str) -> String {
    format!("{ROOT}/membership/{}/{person_key}.json", c.slug)
}

pub fn meeting(m: &Meeting) -> String {
    format!("{ROOT}/meeting/{}/{}.json", m.committee, m.folder)
}

pub fn agenda_item(m: &Meeting, number: u32) -> String {
    format!(
        "{ROOT}/agendaitem/{}/{}/{number}.json",
        m.committee, m.folder
    )
}

pub fn consultation(m: &Meeting, number: u32) -> String {
    format!(
        "{ROOT}/consultation/{}/{}/{number}.json",
        m.committee, m.folder
    )
}

/// A route step that has not happened yet: the case and the committee.
pub fn planned_consultation(case: &CaseNumber, c: &Committee) -> String {
    format!("{ROOT}/plannedconsultation/{}/{}.json", c.slug, case.slug())
}

pub fn paper(case: &CaseNumber) -> String {
    format!("{ROOT}/paper/{}.json", case.slug())
}

/// An attachment of item `number`; `file` is its path in the meeting
/// folder. One file attached to two items is two File objects: each item
/// may title it differently.
pub fn file(m: &Meeting, number: u32, file: &str) -> String {
    format!(
        "{ROOT}/file/{}/{}/{number}-{file}.json",
        m.committee, m.folder
    )
}

pub fn location(key: &str) -> String {
    format!("{ROOT}/location/{key}.json")
}
