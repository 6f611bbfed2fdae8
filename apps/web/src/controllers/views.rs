//! How domain values appear in page contexts, shared by the pages that show them. Translatable
//! network data (references, charters, news) is resolved to the page's language here.

use std::collections::BTreeMap;

use minijinja::{Value, context};
use netinvet_domain::FormData;
use netinvet_domain::Lang;
use netinvet_domain::centres::{Centre, Member};
use netinvet_domain::directory::{LabelInfo, Listing};
use netinvet_domain::references::{Catalogue, Profile, Qualification, Sector, Unit};
use netinvet_domain::types::Localized;

/// A centre's details as the templates read them, with its sectors' names.
pub fn centre(centre: &Centre, catalogue: &Catalogue, lang: Lang) -> Value {
    let sector_names: Vec<&str> =
        catalogue.sectors.iter().filter(|s| centre.sectors.contains(&s.code)).map(|s| s.name.get(lang)).collect();
    context! {
        slug => &centre.slug,
        name => &centre.name,
        country => &centre.country,
        city => &centre.city,
        languages => &centre.languages,
        sectors => &centre.sectors,
        sector_names => sector_names,
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

pub fn sector(s: &Sector, lang: Lang) -> Value {
    context! { id => s.id, code => &s.code, name => s.name.get(lang), status => s.status.as_str() }
}

pub fn profile(p: &Profile, catalogue: &Catalogue, lang: Lang) -> Value {
    context! {
        id => p.id,
        code => &p.code,
        title => p.title.get(lang),
        description => p.description.get(lang),
        eqf_level => p.eqf_level,
        status => p.status.as_str(),
        sector => catalogue.sector(p.sector_id).map(|s| sector(s, lang)),
    }
}

pub fn unit(u: &Unit, lang: Lang) -> Value {
    context! {
        id => u.id,
        code => &u.code,
        title => u.title.get(lang),
        knowledge => u.knowledge.get(lang),
        skills => u.skills.get(lang),
        competence => u.competence.get(lang),
        status => u.status.as_str(),
    }
}

/// A national qualification with the codes and titles of the units it covers.
pub fn qualification(q: &Qualification, units: &BTreeMap<i64, Unit>, lang: Lang) -> Value {
    context! {
        id => q.id,
        country => &q.country,
        code => &q.code,
        title => q.title.get(lang),
        eqf_level => q.eqf_level,
        status => q.status.as_str(),
        units => q.unit_ids.iter().filter_map(|id| units.get(id)).map(|u| context! { code => &u.code, title => u.title.get(lang) }).collect::<Vec<_>>(),
    }
}

pub fn label(label: Option<&LabelInfo>, labelled: bool) -> Value {
    match label {
        Some(l) => context! {
            status => l.status.as_str(),
            held => labelled,
            awarded_on => l.awarded_on.to_rfc3339(),
            valid_until => l.valid_until.to_rfc3339(),
        },
        None => context! { held => false },
    }
}

/// A directory entry.
pub fn listing(l: &Listing, lang: Lang) -> Value {
    context! {
        slug => &l.centre.slug,
        name => &l.centre.name,
        city => &l.centre.city,
        country => &l.centre.country,
        languages => &l.centre.languages,
        sectors => l.sectors.iter().map(|s| s.name.get(lang)).collect::<Vec<_>>(),
        profiles => l.profiles.iter().map(|p| context! { code => &p.code, title => p.title.get(lang), eqf_level => p.eqf_level }).collect::<Vec<_>>(),
        label => label(l.label.as_ref(), l.labelled),
    }
}

/// Form values for a translatable text: `{prefix}_{lang}` for each shipped language.
pub fn localized_fields(prefix: &str, text: &Localized) -> Vec<(String, String)> {
    Lang::ALL.iter().map(|&l| (format!("{prefix}_{}", l.code()), text.exact(l).to_owned())).collect()
}

/// A submitted form's values as the template re-shows them (first value of each name).
pub fn form_values(form: &FormData) -> Value {
    let mut map: BTreeMap<&str, &str> = BTreeMap::new();
    for (k, v) in form.pairs() {
        map.entry(k.as_str()).or_insert(v.as_str());
    }
    Value::from_serialize(&map)
}

/// Form values from pairs (to pre-fill an edit form).
pub fn values(pairs: Vec<(String, String)>) -> Value {
    Value::from_serialize(pairs.into_iter().collect::<BTreeMap<_, _>>())
}

/// A mobility offer as the templates read it.
pub fn offer(
    o: &netinvet_domain::mobility::offers::Offer,
    catalogue: &Catalogue,
    lang: Lang,
    today: chrono::NaiveDate,
) -> Value {
    context! {
        id => o.id,
        centre => context! { slug => &o.centre.slug, name => &o.centre.name, country => &o.centre.country, city => &o.centre.city },
        profile => profile(&o.profile, catalogue, lang),
        mobility_type => o.mobility_type.as_str(),
        window_start => o.window_start.to_string(),
        window_end => o.window_end.to_string(),
        places => o.places,
        places_taken => o.places_taken,
        places_left => o.places_left(),
        working_language => &o.working_language,
        application_deadline => o.application_deadline.to_string(),
        accommodation_help => o.accommodation_help,
        local_transport => o.local_transport,
        tutoring => o.tutoring,
        description => &o.description,
        status => o.status.as_str(),
        host_labelled => o.host_labelled,
        accepts_requests => o.accepts_requests(today),
    }
}

/// A mobility operation as the templates read it.
pub fn operation(op: &netinvet_domain::mobility::operations::Operation) -> Value {
    context! {
        id => op.id,
        side => op.side.as_str(),
        sending => context! { slug => &op.sending.slug, name => &op.sending.name, country => &op.sending.country, city => &op.sending.city },
        host => context! { slug => &op.host.slug, name => &op.host.name, country => &op.host.country, city => &op.host.city },
        mobility_type => op.mobility_type.as_str(),
        participants_planned => op.participants_planned,
        period_start => op.period.0.to_string(),
        period_end => op.period.1.to_string(),
        proposed_start => op.proposed.map(|p| p.0.to_string()),
        proposed_end => op.proposed.map(|p| p.1.to_string()),
        state => op.state.as_str(),
        state_reason => &op.state_reason,
        request_message => &op.request_message,
        accommodation => &op.accommodation,
        insurance => &op.insurance,
        emergency_contacts => &op.emergency_contacts,
        agreement_id => op.agreement_id,
        offer_id => op.offer_id,
    }
}

/// What blocks an operation, as the templates read it.
pub fn blockers(list: &[(&'static str, usize)]) -> Vec<Value> {
    list.iter().map(|(key, count)| context! { key => key, count => count }).collect()
}
