//! How domain values appear in page contexts, shared by the pages that show them.

use minijinja::{Value, context};
use netinvet_domain::centres::{Centre, Member};

/// A centre's details as the templates read them.
pub fn centre(centre: &Centre) -> Value {
    context! {
        slug => &centre.slug,
        name => &centre.name,
        country => &centre.country,
        city => &centre.city,
        languages => &centre.languages,
        sectors => &centre.sectors,
        status => centre.status.as_str(),
        created_at => centre.created_at.to_rfc3339(),
    }
}

/// A centre's people as the templates read them.
pub fn members(members: &[Member]) -> Vec<Value> {
    members
        .iter()
        .map(|m| context! { name => &m.name, email => &m.email, role_key => m.role.label_key(), since => m.since.to_rfc3339() })
        .collect()
}
