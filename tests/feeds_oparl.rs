//! The static OParl 1.1 export: every object validates against the official
//! schemas (tests/feeds/check_outputs.py, with python's jsonschema), every
//! URL in it leads to a file, and a client walking the lists by
//! `links.next` finds every object. Here: that the objects say what the
//! content says.

#[path = "support/feeds_site.rs"]
mod feeds_site;

use feeds_site::{BASE_URL, CLOSED_PUBLIC_DECISION, CLOSED_PUBLIC_TITLE};
use serde_json::{Value, json};

fn id(path: &str) -> String {
    format!("{BASE_URL}/oparl/v1/{path}")
}

fn object<'a>(s: &'a Value, kind: &str, path: &str) -> &'a Value {
    let want = id(path);
    s["oparl"]["objects"][kind]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == want)
        .unwrap_or_else(|| panic!("no {kind} {want}"))
}

fn count(s: &Value, kind: &str) -> usize {
    s["oparl"]["objects"][kind].as_array().unwrap().len()
}

#[test]
fn export_validates_and_a_client_finds_everything() {
    let Some(s) = &feeds_site::built_once("feeds-oparl").summary else {
        return;
    };
    let validated = &s["oparl"]["validated"];
    for kind in [
        "System",
        "Body",
        "Organization",
        "Person",
        "Membership",
        "Meeting",
        "AgendaItem",
        "Paper",
        "Consultation",
        "File",
        "Location",
    ] {
        assert!(
            validated[kind].as_u64().unwrap_or(0) > 0,
            "no {kind} validated"
        );
    }
    assert_eq!(
        s["oparl"]["walk"],
        json!({
            "bodies": {"pages": 1, "items": 1},
            "organization": {"pages": 1, "items": 4},
            "person": {"pages": 1, "items": 4},
            "meeting": {"pages": 1, "items": 6},
            "paper": {"pages": 2, "items": 2 + feeds_site::BULK_CASES},
        })
    );
    let system = &s["oparl"]["system"];
    assert_eq!(system["oparlVersion"], "https://schema.oparl.org/1.1/");
    assert_eq!(system["body"], id("bodies.json"));
    assert_eq!(s["oparl"]["body"]["legislativeTerm"], json!([]));
    // One object per file: 1 agenda item and 1 consultation per bulk case.
    assert_eq!(count(s, "Paper"), 2 + feeds_site::BULK_CASES);
    assert_eq!(count(s, "AgendaItem"), 5 + 1 + feeds_site::BULK_CASES);
}

#[test]
fn closed_item_is_only_a_non_public_agenda_item() {
    let Some(s) = &feeds_site::built_once("feeds-oparl").summary else {
        return;
    };
    let closed = object(
        s,
        "AgendaItem",
        "agendaitem/hovedudvalget/2024-06-04/2.json",
    );
    let keys: Vec<&String> = closed.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "meeting",
            "name",
            "number",
            "order",
            "public",
            "resolutionText",
            "type",
            "web"
        ]
    );
    assert_eq!(closed["public"], false);
    assert_eq!(closed["name"], CLOSED_PUBLIC_TITLE);
    assert_eq!(closed["resolutionText"], CLOSED_PUBLIC_DECISION);
    assert_eq!(closed["number"], "2");
    assert_eq!(
        closed["web"],
        format!("{BASE_URL}/hovedudvalget/2024-06-04/")
    );
    let meeting = object(s, "Meeting", "meeting/hovedudvalget/2024-06-04.json");
    let embedded = &meeting["agendaItem"][1];
    assert_eq!(embedded["public"], false);
    assert_eq!(embedded["name"], CLOSED_PUBLIC_TITLE);
    assert!(
        embedded.get("meeting").is_none(),
        "no back-reference inside the meeting"
    );
}

#[test]
fn meetings_items_and_files_follow_the_content() {
    let Some(s) = &feeds_site::built_once("feeds-oparl").summary else {
        return;
    };
    let june = object(s, "Meeting", "meeting/hovedudvalget/2024-06-04.json");
    assert_eq!(june["name"], "Møde i Hovedudvalget, 4. juni 2024");
    assert_eq!(june["start"], "2024-06-04T09:30:00+02:00");
    assert_eq!(june["end"], "2024-06-04T11:00:00+02:00");
    assert_eq!(june["meetingState"], "Referat");
    assert_eq!(june["protokol:status"], "minutes");
    assert_eq!(june["protokol:absent"], json!(["Bo Holm"]));
    assert_eq!(
        june["location"]["description"],
        "Mødelokale 1, Rådhuset; 1. sal"
    );
    assert_eq!(
        june["organization"],
        json!([id("organization/hovedudvalget.json")])
    );
    assert_eq!(june["agendaItem"].as_array().unwrap().len(), 3);

    let cancelled = object(s, "Meeting", "meeting/hovedudvalget/2024-12-01-ekstra.json");
    assert_eq!(cancelled["cancelled"], true);
    assert_eq!(cancelled["meetingState"], "Aflyst");
    assert_eq!(cancelled["start"], "2024-12-01T00:00:00+01:00");
    assert_eq!(cancelled["protokol:allDay"], true);

    let item = object(
        s,
        "AgendaItem",
        "agendaitem/hovedudvalget/2024-06-04/1.json",
    );
    assert_eq!(item["public"], true);
    assert_eq!(item["name"], "Budget 2025 – første behandling");
    assert_eq!(item["meeting"], id("meeting/hovedudvalget/2024-06-04.json"));
    assert_eq!(
        item["resolutionText"],
        "Godkendt & sendt videre til Børn & Unge-udvalget."
    );
    assert_eq!(
        item["consultation"],
        id("consultation/hovedudvalget/2024-06-04/1.json")
    );
    let kinds: Vec<&str> = item["protokol:sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["presentation", "recommendation", "decision"]);
    // Inside the meeting the item is the same but for its full text.
    let embedded = &june["agendaItem"][0];
    assert_eq!(embedded["id"], item["id"]);
    assert_eq!(embedded["resolutionText"], item["resolutionText"]);
    assert!(embedded.get("protokol:sections").is_none());
    // The non-public attachment is nowhere.
    let files: Vec<&str> = item["auxiliaryFile"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["Budgetnotat"]);

    // One file, attached to two items with two titles: two File objects.
    let a = object(
        s,
        "File",
        "file/b%C3%B8rn-og-unge/2024-09-10/1-bilag/oversigt.pdf.json",
    );
    let b = object(
        s,
        "File",
        "file/b%C3%B8rn-og-unge/2024-09-10/2-bilag/oversigt.pdf.json",
    );
    assert_eq!(a["name"], "Oversigt over skoler");
    assert_eq!(b["name"], "Oversigt");
    let url = format!("{BASE_URL}/b%C3%B8rn-og-unge/2024-09-10/bilag/oversigt.pdf");
    assert_eq!(a["accessUrl"], url);
    assert_eq!(b["accessUrl"], url);
    assert_eq!(a["fileName"], "oversigt.pdf");
    assert_eq!(a["mimeType"], "application/pdf");
    assert_eq!(a["size"], "%PDF-1.4 oversigt\n".len());
    assert_eq!(
        a["agendaItem"],
        json!([id("agendaitem/b%C3%B8rn-og-unge/2024-09-10/1.json")])
    );
    assert_eq!(a["paper"], json!([id("paper/24-277.json")]));
    assert_eq!(b["paper"], json!([id("paper/24-300.json")]));
}

#[test]
fn a_case_is_a_paper_whose_consultations_form_the_route() {
    let Some(s) = &feeds_site::built_once("feeds-oparl").summary else {
        return;
    };
    let paper = object(s, "Paper", "paper/24-277.json");
    assert_eq!(paper["reference"], "24/277");
    assert_eq!(paper["name"], "Budget 2025 – anden behandling");
    assert_eq!(paper["date"], "2024-06-04");
    assert_eq!(paper["web"], format!("{BASE_URL}/sager/24-277/"));
    assert_eq!(paper["protokol:route"], json!(["HU", "BU", "KB"]));
    let steps: Vec<(Value, Value, bool)> = paper["consultation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["organization"][0].clone(),
                c["meeting"].clone(),
                c["protokol:planned"] == true,
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            (
                json!(id("organization/hovedudvalget.json")),
                json!(id("meeting/hovedudvalget/2024-06-04.json")),
                false
            ),
            (
                json!(id("organization/b%C3%B8rn-og-unge.json")),
                json!(id("meeting/b%C3%B8rn-og-unge/2024-09-10.json")),
                false
            ),
            (
                json!(id("organization/hovedudvalget.json")),
                json!(id("meeting/hovedudvalget/2024-11-15.json")),
                false
            ),
            (
                json!(id("organization/kommunalbestyrelsen.json")),
                Value::Null,
                true
            ),
        ]
    );
    let files: Vec<&str> = paper["auxiliaryFile"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["Budgetnotat", "Oversigt over skoler"]);
    let planned = object(
        s,
        "Consultation",
        "plannedconsultation/kommunalbestyrelsen/24-277.json",
    );
    assert_eq!(planned["paper"], id("paper/24-277.json"));
}

#[test]
fn committees_members_and_people() {
    let Some(s) = &feeds_site::built_once("feeds-oparl").summary else {
        return;
    };
    let hu = object(s, "Organization", "organization/hovedudvalget.json");
    assert_eq!(hu["name"], "Hovedudvalget");
    assert_eq!(hu["shortName"], "HU");
    assert_eq!(
        hu["protokol:description"],
        "Det øverste MED-udvalg i Testby Kommune."
    );
    assert_eq!(hu["membership"].as_array().unwrap().len(), 3);
    let anna = object(s, "Person", "person/anna-jensen.json");
    let roles: Vec<(&str, &str)> = anna["membership"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["organization"].as_str().unwrap(),
                m["role"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            (id("organization/hovedudvalget.json").as_str(), "Formand"),
            (
                id("organization/b%C3%B8rn-og-unge.json").as_str(),
                "Næstformand"
            ),
        ]
    );
    let soeren = object(s, "Person", "person/soeren-aeroe.json");
    assert_eq!(soeren["name"], "Søren Ærø");
    let carla = object(s, "Person", "person/carla-berg.json");
    assert_eq!(carla["name"], "Carla <Berg>");
    let m = object(s, "Membership", "membership/hovedudvalget/anna-jensen.json");
    assert_eq!(m["person"], id("person/anna-jensen.json"));
    assert_eq!(m["organization"], id("organization/hovedudvalget.json"));
}
