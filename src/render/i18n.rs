//! Every string of the interface, in Danish and English, in one place.
//! Templates read them as `t.<name>`.

use serde::Serialize;

use crate::config::Language;

#[derive(Debug, Serialize)]
pub struct Strings {
    pub skip_to_content: &'static str,
    pub main_navigation: &'static str,
    pub breadcrumbs: &'static str,
    pub front_page: &'static str,
    pub committees: &'static str,
    pub committee: &'static str,
    pub calendar: &'static str,
    pub cases: &'static str,
    pub case: &'static str,
    pub case_number: &'static str,
    pub search: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_button: &'static str,
    pub search_all_committees: &'static str,
    pub search_all_years: &'static str,
    pub search_decisions_only: &'static str,
    pub search_no_script: &'static str,
    pub search_results: &'static str,
    pub search_show_more: &'static str,
    pub upcoming_meetings: &'static str,
    pub no_upcoming_meetings: &'static str,
    pub latest_minutes: &'static str,
    pub all_committees: &'static str,
    pub members: &'static str,
    pub meetings: &'static str,
    pub meetings_in: &'static str,
    pub no_meetings: &'static str,
    pub archive: &'static str,
    pub year: &'static str,
    pub date: &'static str,
    pub time: &'static str,
    pub location: &'static str,
    pub status: &'static str,
    pub status_agenda: &'static str,
    pub status_minutes: &'static str,
    pub status_cancelled: &'static str,
    /// A cancelled meeting's heading: "Aflyst" alone names no thing.
    pub cancelled_meeting: &'static str,
    pub absent: &'static str,
    pub agenda: &'static str,
    pub no_items: &'static str,
    pub item: &'static str,
    /// Counts: "1 punkt", "2 punkter" (see [`count`]).
    pub items_one: &'static str,
    pub items: &'static str,
    pub meetings_one: &'static str,
    pub meetings_many: &'static str,
    pub closed_item: &'static str,
    pub closed_badge: &'static str,
    pub closed_item_note: &'static str,
    pub public_decision: &'static str,
    pub decision: &'static str,
    pub route: &'static str,
    pub attachments: &'static str,
    pub previous_item: &'static str,
    pub next_item: &'static str,
    /// The name of the previous/next navigation under an item.
    pub item_pager: &'static str,
    /// Names a table's scroll area for screen readers.
    pub table: &'static str,
    pub case_history: &'static str,
    pub case_intro: &'static str,
    pub all_items_of_case: &'static str,
    pub meeting: &'static str,
    pub page_not_found: &'static str,
    pub page_not_found_text: &'static str,
    pub accessibility_statement: &'static str,
    pub generated_by: &'static str,
    pub bytes_kb: &'static str,
    pub bytes_mb: &'static str,
    pub bytes_b: &'static str,
    pub show_all_years: &'static str,
    pub no_decision_yet: &'static str,
    pub opens_in: &'static str,
    pub feed_title: &'static str,
    pub subscribe: &'static str,
    pub subscribe_intro: &'static str,
    pub subscribe_case_intro: &'static str,
    pub subscribe_feed: &'static str,
    pub subscribe_case: &'static str,
    pub subscribe_calendar: &'static str,
    pub download_calendar: &'static str,
    pub meeting_of: &'static str,
    pub or: &'static str,
    pub open_data: &'static str,
    pub site_description: &'static str,
    pub committee_description: &'static str,
}

pub const DA: Strings = Strings {
    skip_to_content: "Gå til indhold",
    main_navigation: "Hovedmenu",
    breadcrumbs: "Brødkrummesti",
    front_page: "Forside",
    committees: "Udvalg",
    committee: "Udvalg",
    calendar: "Mødekalender",
    cases: "Sager",
    case: "Sag",
    case_number: "Sagsnummer",
    search: "Søg",
    search_label: "Søg i dagsordener og referater",
    search_placeholder: "Fx lokalplan, 24/277 eller skolestruktur",
    search_button: "Søg",
    search_all_committees: "Alle udvalg",
    search_all_years: "Alle år",
    search_decisions_only: "Kun punkter med beslutning",
    search_no_script: "Søgningen kræver JavaScript. Du kan i stedet finde møder via udvalgene og mødekalenderen.",
    search_results: "Søgeresultater",
    search_show_more: "Vis flere resultater",
    upcoming_meetings: "Kommende møder",
    no_upcoming_meetings: "Der er ingen kommende møder med offentliggjort dagsorden.",
    latest_minutes: "Seneste referater",
    all_committees: "Alle udvalg",
    members: "Medlemmer",
    meetings: "Møder",
    meetings_in: "Møder i",
    no_meetings: "Der er ingen møder.",
    archive: "Arkiv",
    year: "År",
    date: "Dato",
    time: "Tidspunkt",
    location: "Sted",
    status: "Status",
    status_agenda: "Dagsorden",
    status_minutes: "Referat",
    status_cancelled: "Aflyst",
    cancelled_meeting: "Aflyst møde",
    absent: "Afbud",
    agenda: "Dagsorden",
    no_items: "Der er ingen punkter på dette møde.",
    item: "Punkt",
    items_one: "punkt",
    items: "punkter",
    meetings_one: "møde",
    meetings_many: "møder",
    closed_item: "Lukket punkt",
    closed_badge: "Lukket",
    closed_item_note: "Lukket punkt. Kun titel og beslutning offentliggøres.",
    public_decision: "Beslutning",
    decision: "Beslutning",
    route: "Sagsgang",
    attachments: "Bilag",
    previous_item: "Forrige punkt",
    next_item: "Næste punkt",
    item_pager: "Forrige og næste punkt",
    table: "Tabel",
    case_history: "Sagens forløb",
    case_intro: "Alle offentlige punkter om sagen, ældste først.",
    all_items_of_case: "Se hele sagens forløb",
    meeting: "Møde",
    page_not_found: "Siden findes ikke",
    page_not_found_text: "Siden, du leder efter, findes ikke eller er flyttet. Prøv at søge, eller gå til forsiden.",
    accessibility_statement: "Tilgængelighedserklæring",
    generated_by: "Udgivet med protokol",
    bytes_kb: "kB",
    bytes_mb: "MB",
    bytes_b: "byte",
    show_all_years: "Alle år",
    no_decision_yet: "Punktet er endnu ikke behandlet.",
    opens_in: "åbner",
    feed_title: "Nye dagsordener og referater",
    subscribe: "Abonnér",
    subscribe_intro: "Få nye dagsordener og referater i din feedlæser, eller se møderne i din kalender.",
    subscribe_case_intro: "Følg sagen uden at oprette en konto: feedet får et nyt indlæg, hver gang sagen kommer på en dagsorden eller får en beslutning.",
    subscribe_feed: "Nyhedsfeed (Atom)",
    subscribe_case: "Følg sag",
    subscribe_calendar: "Abonnér på mødekalenderen",
    download_calendar: "hent kalenderfilen (.ics)",
    meeting_of: "Møde i",
    or: "eller",
    open_data: "Åbne data (OParl)",
    site_description: "Dagsordener og referater fra udvalgenes møder",
    committee_description: "Møder, dagsordener og referater for",
};

pub const EN: Strings = Strings {
    skip_to_content: "Skip to content",
    main_navigation: "Main menu",
    breadcrumbs: "Breadcrumbs",
    front_page: "Home",
    committees: "Committees",
    committee: "Committee",
    calendar: "Meeting calendar",
    cases: "Cases",
    case: "Case",
    case_number: "Case number",
    search: "Search",
    search_label: "Search agendas and minutes",
    search_placeholder: "E.g. local plan, 24/277 or school",
    search_button: "Search",
    search_all_committees: "All committees",
    search_all_years: "All years",
    search_decisions_only: "Only items with a decision",
    search_no_script: "Search needs JavaScript. You can find meetings through the committees and the meeting calendar instead.",
    search_results: "Search results",
    search_show_more: "Show more results",
    upcoming_meetings: "Upcoming meetings",
    no_upcoming_meetings: "There are no upcoming meetings with a published agenda.",
    latest_minutes: "Latest minutes",
    all_committees: "All committees",
    members: "Members",
    meetings: "Meetings",
    meetings_in: "Meetings in",
    no_meetings: "There are no meetings.",
    archive: "Archive",
    year: "Year",
    date: "Date",
    time: "Time",
    location: "Place",
    status: "Status",
    status_agenda: "Agenda",
    status_minutes: "Minutes",
    status_cancelled: "Cancelled",
    cancelled_meeting: "Cancelled meeting",
    absent: "Absent",
    agenda: "Agenda",
    no_items: "There are no items on this meeting.",
    item: "Item",
    items_one: "item",
    items: "items",
    meetings_one: "meeting",
    meetings_many: "meetings",
    closed_item: "Closed item",
    closed_badge: "Closed",
    closed_item_note: "Closed item. Only its title and decision are published.",
    public_decision: "Decision",
    decision: "Decision",
    route: "Route",
    attachments: "Attachments",
    previous_item: "Previous item",
    next_item: "Next item",
    item_pager: "Previous and next item",
    table: "Table",
    case_history: "History of the case",
    case_intro: "Every public item of the case, oldest first.",
    all_items_of_case: "See the whole history of the case",
    meeting: "Meeting",
    page_not_found: "Page not found",
    page_not_found_text: "The page you are looking for does not exist or has moved. Try searching, or go to the front page.",
    accessibility_statement: "Accessibility statement",
    generated_by: "Published with protokol",
    bytes_kb: "kB",
    bytes_mb: "MB",
    bytes_b: "bytes",
    show_all_years: "All years",
    no_decision_yet: "The item has not been decided yet.",
    opens_in: "opens",
    feed_title: "New agendas and minutes",
    subscribe: "Subscribe",
    subscribe_intro: "Get new agendas and minutes in your feed reader, or see the meetings in your calendar.",
    subscribe_case_intro: "Follow the case without an account: the feed gets a new entry whenever the case is on an agenda or decided.",
    subscribe_feed: "News feed (Atom)",
    subscribe_case: "Follow case",
    subscribe_calendar: "Subscribe to the meeting calendar",
    download_calendar: "download the calendar file (.ics)",
    meeting_of: "Meeting of",
    or: "or",
    open_data: "Open data (OParl)",
    site_description: "Agendas and minutes of the committee meetings",
    committee_description: "Meetings, agendas and minutes of",
};

/// "1 punkt", "3 punkter": a count with the noun in singular or plural.
/// Both languages need only the two forms, with the singular for 1.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn strings(lang: Language) -> &'static Strings {
    match lang {
        Language::Danish => &DA,
        Language::English => &EN,
    }
}

/// Where the search page and the calendar live, per language.
pub fn search_dir(lang: Language) -> &'static str {
    match lang {
        Language::Danish => "soeg",
        Language::English => "search",
    }
}

pub fn calendar_dir(lang: Language) -> &'static str {
    match lang {
        Language::Danish => "kalender",
        Language::English => "calendar",
    }
}

/// Strings of `protokol serve`'s error overlay, shown to the web team
/// while they edit (never part of a built site).
#[derive(Debug)]
pub struct ServeStrings {
    pub error_title: &'static str,
    pub error_note: &'static str,
    pub no_site_yet: &'static str,
}

pub const SERVE_DA: ServeStrings = ServeStrings {
    error_title: "Siden kunne ikke bygges",
    error_note: "Du ser den seneste udgave, der kunne bygges. Ret fejlene herunder; siden opdateres, når filerne er gemt.",
    no_site_yet: "Der er endnu ingen udgave af siden at vise.",
};

pub const SERVE_EN: ServeStrings = ServeStrings {
    error_title: "The site could not be built",
    error_note: "You see the last version that built. Fix the problems below; the page updates when the files are saved.",
    no_site_yet: "There is no version of the site to show yet.",
};

pub fn serve_strings(lang: Language) -> &'static ServeStrings {
    match lang {
        Language::Danish => &SERVE_DA,
        Language::English => &SERVE_EN,
    }
}

/// Strings the search script needs, handed to it as JSON in a data-
/// attribute (no inline script, so a strict Content-Security-Policy works).
#[derive(Debug, Serialize)]
pub struct SearchClientStrings {
    pub searching: &'static str,
    /// `{n}`: the count, `{q}`: the query.
    pub count_one: &'static str,
    pub count_many: &'static str,
    /// `{shown}` of `{total}`.
    pub showing: &'static str,
    pub none: &'static str,
    pub error: &'static str,
    pub unsupported: &'static str,
    pub suggestions: &'static str,
    pub suggestions_one: &'static str,
    pub suggestions_many: &'static str,
    pub decision_match: &'static str,
    pub case_page: &'static str,
    pub closed_item: &'static str,
    pub status: SearchStatusStrings,
    /// `{d}`, `{m}` (month name), `{y}`.
    pub date: &'static str,
    pub months: [&'static str; 12],
    pub thousands: &'static str,
    pub page_size: usize,
}

#[derive(Debug, Serialize)]
pub struct SearchStatusStrings {
    pub agenda: &'static str,
    pub minutes: &'static str,
    pub cancelled: &'static str,
}

pub fn search_client(lang: Language) -> SearchClientStrings {
    let t = strings(lang);
    let status = SearchStatusStrings {
        agenda: t.status_agenda,
        minutes: t.status_minutes,
        cancelled: t.status_cancelled,
    };
    let months = std::array::from_fn(|i| crate::render::dates::month_name(lang, i as u32 + 1));
    match lang {
        Language::Danish => SearchClientStrings {
            searching: "Søger …",
            count_one: "1 resultat for »{q}«",
            count_many: "{n} resultater for »{q}«",
            showing: "Viser {shown} af {total} resultater for »{q}«",
            none: "Ingen resultater for »{q}«. Prøv andre eller færre ord, eller fjern filtrene.",
            error: "Søgningen kunne ikke gennemføres. Prøv igen om lidt.",
            unsupported: "Din browser er for gammel til søgningen. Du kan finde møder via udvalgene og mødekalenderen.",
            suggestions: "Forslag",
            suggestions_one: "1 forslag. Brug pil op og ned for at vælge.",
            suggestions_many: "{n} forslag. Brug pil op og ned for at vælge.",
            decision_match: "fundet i beslutningen",
            case_page: "Sagens forløb",
            closed_item: t.closed_item,
            status,
            date: "{d}. {m} {y}",
            months,
            thousands: ".",
            page_size: 10,
        },
        Language::English => SearchClientStrings {
            searching: "Searching …",
            count_one: "1 result for “{q}”",
            count_many: "{n} results for “{q}”",
            showing: "Showing {shown} of {total} results for “{q}”",
            none: "No results for “{q}”. Try other or fewer words, or remove the filters.",
            error: "The search failed. Please try again in a moment.",
            unsupported: "Your browser is too old for the search. You can find meetings through the committees and the meeting calendar.",
            suggestions: "Suggestions",
            suggestions_one: "1 suggestion. Use the up and down arrows to choose.",
            suggestions_many: "{n} suggestions. Use the up and down arrows to choose.",
            decision_match: "found in the decision",
            case_page: "History of the case",
            closed_item: t.closed_item,
            status,
            date: "{d} {m} {y}",
            months,
            thousands: ",",
            page_size: 10,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_singular_for_one() {
        assert_eq!(count(1, DA.items_one, DA.items), "1 punkt");
        assert_eq!(count(2, DA.items_one, DA.items), "2 punkter");
        assert_eq!(count(0, DA.meetings_one, DA.meetings_many), "0 møder");
        assert_eq!(count(1, EN.meetings_one, EN.meetings_many), "1 meeting");
        assert_eq!(count(1, EN.items_one, EN.items), "1 item");
    }
}
