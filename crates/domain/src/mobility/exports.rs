//! Exports of a centre's operations (CSV and XLSX, one row per operation, the same columns) and
//! of one operation's period as an iCalendar event.

use chrono::{DateTime, Duration, Utc};

use super::operations::{Operation, Summary};
use crate::types::Side;

/// The export's column headings, in English (spreadsheets are shared across the network).
pub const COLUMNS: [&str; 10] = [
    "id",
    "direction",
    "type",
    "sending centre",
    "host centre",
    "period start",
    "period end",
    "participants",
    "state",
    "blocking",
];

fn row(s: &Summary) -> [String; 10] {
    let op = &s.operation;
    [
        op.id.to_string(),
        match op.side {
            Side::Sending => "outgoing".to_owned(),
            Side::Host => "incoming".to_owned(),
        },
        op.mobility_type.as_str().to_owned(),
        op.sending.name.clone(),
        op.host.name.clone(),
        op.period.0.to_string(),
        op.period.1.to_string(),
        s.participants.to_string(),
        op.state.as_str().to_owned(),
        s.blockers
            .iter()
            .map(|(k, n)| format!("{}×{n}", k.trim_start_matches("blocker.")))
            .collect::<Vec<_>>()
            .join(" "),
    ]
}

/// A cell that a spreadsheet would read as a formula is prefixed with `'` (CSV injection).
fn csv_cell(text: &str) -> String {
    let safe = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    if safe.contains([',', '"', '\n', '\r']) { format!("\"{}\"", safe.replace('"', "\"\"")) } else { safe }
}

/// The operations as CSV (RFC 4180, CRLF line ends, UTF-8 with a BOM for spreadsheets).
pub fn csv(list: &[Summary]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&COLUMNS.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    for s in list {
        out.push_str(&row(s).iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// The operations as an XLSX workbook.
pub fn xlsx(list: &[Summary]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Operations")?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, heading) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *heading, &bold)?;
    }
    for (r, s) in list.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, value) in row(s).iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(0);
            if c == 0 || c == 7 {
                sheet.write_number(r, c, value.parse::<f64>().unwrap_or(0.0))?;
            } else {
                sheet.write_string(r, c, value)?;
            }
        }
    }
    sheet.autofit();
    workbook.save_to_buffer()
}

fn ics_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n")
}

/// The operation's period as an all-day iCalendar event (RFC 5545; the end date is exclusive).
pub fn ical(op: &Operation, host: &str, url: &str, now: DateTime<Utc>) -> String {
    let end = op.period.1 + Duration::days(1);
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//NETINVET//Mobility platform//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:operation-{}@{host}", op.id),
        format!("DTSTAMP:{}", now.format("%Y%m%dT%H%M%SZ")),
        format!("DTSTART;VALUE=DATE:{}", op.period.0.format("%Y%m%d")),
        format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")),
        format!("SUMMARY:{}", ics_text(&format!("Mobility {} → {}", op.sending.name, op.host.name))),
        format!("LOCATION:{}", ics_text(&format!("{}, {}", op.host.city, op.host.country))),
        format!("URL:{url}"),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lines.join("\r\n") + "\r\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(ics_text("Lyon, FR; a\\b"), "Lyon\\, FR\\; a\\\\b");
    }
}
