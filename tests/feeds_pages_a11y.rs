//! The pages that offer subscriptions (front page, calendar, committee,
//! case) and the item pages with their structured data pass axe-core's
//! WCAG 2.1 A/AA rules in Chromium.

#[path = "support/browser.rs"]
mod browser;
#[path = "support/feeds_site.rs"]
mod feeds_site;

#[test]
fn subscription_links_are_accessible() {
    let Some(tools) = browser::browser_tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // The browser's server serves the folder at its root.
    let out = feeds_site::build_site_at(dir.path(), Some("http://localhost"));
    let html = feeds_site::read(&out, "hovedudvalget/index.html");
    assert!(html.contains("class=\"subscribe\""), "no subscription box");
    let pages = [
        "/",
        "/kalender/",
        "/hovedudvalget/",
        "/sager/24-277/",
        "/hovedudvalget/2024-06-04/",
        "/hovedudvalget/2024-06-04/01-budget-2025/",
    ];
    if let Err(report) = tools.run_axe(&out, &pages) {
        panic!("{report}");
    }
}
