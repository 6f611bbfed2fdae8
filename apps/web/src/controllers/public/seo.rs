//! What search engines read: `robots.txt` (the public space is open, the workspaces are not) and
//! `sitemap.xml` (every public page, in both languages through the same address).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use netinvet_domain::references::{self, Audience};
use netinvet_domain::types::CharterKind;

use crate::AppState;
use crate::error::WebError;

pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /c/\nDisallow: /committee/\nDisallow: /account\nDisallow: /invitations/\nDisallow: /password/\nDisallow: /dev/\nAllow: /\n\nSitemap: {}\n",
        state.public_url.join("/sitemap.xml")
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

pub async fn sitemap(State(state): State<AppState>) -> Result<Response, WebError> {
    let mut paths: Vec<String> =
        ["/", "/members", "/references", "/references/qualifications", "/charters", "/news", "/join"]
            .iter()
            .map(|p| (*p).to_owned())
            .collect();
    for slug in netinvet_domain::directory::active_slugs(&state.db).await? {
        paths.push(format!("/members/{slug}"));
    }
    for p in references::catalogue(&state.db, Audience::Public).await?.profiles {
        paths.push(format!("/references/{}", p.code));
    }
    for kind in CharterKind::ALL {
        paths.push(format!("/charters/{}", kind.as_str()));
        for v in netinvet_domain::charters::history(&state.db, *kind, false).await? {
            paths.push(format!("/charters/{}/v/{}", kind.as_str(), v.version));
        }
    }
    for a in netinvet_domain::news::published(&state.db, 1000).await? {
        paths.push(format!("/news/{}", a.slug));
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        xml.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(&state.public_url.join(&path))));
    }
    xml.push_str("</urlset>\n");
    Ok(([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], xml).into_response())
}
