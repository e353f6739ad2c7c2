//! `sitemap.xml` (sitemaps.org 0.9) of every page, split under a sitemap
//! index above 50,000 URLs, and `robots.txt` pointing at it.

use super::xml::escape;
use crate::urls::SiteUrls;

/// The protocol's limit of URLs per sitemap file.
pub const MAX_URLS: usize = 50_000;
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";

/// The sitemap files: one `sitemap.xml`, or a `sitemap.xml` index over
/// `sitemap-1.xml`, `sitemap-2.xml`, … of at most `max` URLs each.
pub fn files(urls: &SiteUrls, pages: &[String], max: usize) -> Vec<(String, String)> {
    let max = max.max(1);
    if pages.len() <= max {
        return vec![(SITEMAP.to_string(), urlset(urls, pages))];
    }
    let parts: Vec<(String, String)> = pages
        .chunks(max)
        .enumerate()
        .map(|(i, chunk)| (format!("sitemap-{}.xml", i + 1), urlset(urls, chunk)))
        .collect();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (name, _) in &parts {
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            escape(&urls.abs(name))
        ));
    }
    index.push_str("</sitemapindex>\n");
    let mut out = vec![(SITEMAP.to_string(), index)];
    out.extend(parts);
    out
}

fn urlset(urls: &SiteUrls, pages: &[String]) -> String {
    let mut x = String::with_capacity(100 + pages.len() * 80);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in pages {
        x.push_str("  <url><loc>");
        x.push_str(&escape(&urls.abs(p)));
        x.push_str("</loc></url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

/// Allows everything and names the sitemap. Crawlers read robots.txt only
/// at a host's root: a site published in a sub-folder has to link its
/// sitemap from the host's own robots.txt.
pub fn robots(urls: &SiteUrls) -> String {
    format!(
        "User-agent: *\nDisallow:\n\nSitemap: {}\n",
        urls.abs(SITEMAP)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use std::path::Path;

    fn urls() -> SiteUrls {
        let c = Config::parse(
            Path::new("c"),
            "title = \"x\"\nbase_url = \"https://a.dk\"\n",
        )
        .unwrap();
        SiteUrls::new(&c)
    }

    #[test]
    fn small_sites_get_one_sitemap() {
        let pages = vec![String::new(), "hu/".to_string(), "hu/a&b/".to_string()];
        let files = files(&urls(), &pages, 3);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "sitemap.xml");
        assert!(files[0].1.contains("<loc>https://a.dk/</loc>"));
        assert!(files[0].1.contains("<loc>https://a.dk/hu/a%26b/</loc>"));
    }

    #[test]
    fn large_sites_get_an_index_over_parts() {
        let pages: Vec<String> = (0..7).map(|i| format!("p{i}/")).collect();
        let files = files(&urls(), &pages, 3);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        assert!(files[0].1.contains("<sitemapindex"));
        assert!(files[0].1.contains("<loc>https://a.dk/sitemap-3.xml</loc>"));
        assert_eq!(files[1].1.matches("<url>").count(), 3);
        assert_eq!(files[3].1.matches("<url>").count(), 1);
        assert!(files[3].1.contains("https://a.dk/p6/"));
    }
}
