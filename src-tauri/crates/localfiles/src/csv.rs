//! Tables the person exports, as CSV files Excel opens correctly: UTF-8 with a byte-order mark,
//! CRLF line ends, fields quoted when needed (the `csv` crate), and cells that start like a formula
//! (=, +, -, @, tab, carriage return) prefixed with ' so they stay text. Written atomically, like
//! the app's own files.

use std::io;
use std::path::Path;

/// The CSV text of `header` and `rows` (see the module documentation).
pub fn to_bytes(header: &[String], rows: &[Vec<Option<String>>]) -> io::Result<Vec<u8>> {
    let mut out = Vec::from("\u{FEFF}".as_bytes());
    {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(&mut out);
        w.write_record(header.iter().map(|h| as_text(h)))?;
        for row in rows {
            w.write_record(row.iter().map(|c| as_text(c.as_deref().unwrap_or(""))))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// Writes the CSV of `header` and `rows` to `path` (atomically; private to the user).
pub fn write(path: &Path, header: &[String], rows: &[Vec<Option<String>>]) -> io::Result<()> {
    crate::write_private(path, &to_bytes(header, rows)?)
}

/// A cell that a spreadsheet would run as a formula is kept as text.
fn as_text(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> String {
        v.to_string()
    }

    #[test]
    fn excel_reads_it_as_utf8_text_with_quotes_where_needed_and_formulas_kept_as_text() {
        let header = [s("Name"), s("Job title")];
        let rows = vec![
            vec![Some(s("Zoë \"Zed\" Ng")), Some(s("=HYPERLINK(\"x\")"))],
            vec![Some(s("Adele, Vance")), None],
            vec![Some(s("Two\nlines")), Some(s("-5"))],
        ];
        let text = String::from_utf8(to_bytes(&header, &rows).unwrap()).unwrap();
        // An empty cell is written empty (the `csv` crate quotes "" only when it is a row's only cell).
        assert_eq!(
            text,
            "\u{FEFF}Name,Job title\r\n\"Zoë \"\"Zed\"\" Ng\",\"'=HYPERLINK(\"\"x\"\")\"\r\n\"Adele, Vance\",\r\n\"Two\nlines\",'-5\r\n"
        );
    }

    #[test]
    fn the_file_is_written_whole_where_the_person_chose() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("people.csv");
        write(&path, &[s("Name")], &[vec![Some(s("Adele Vance"))]]).unwrap();
        assert_eq!(
            std::fs::read(&path).unwrap(),
            "\u{FEFF}Name\r\nAdele Vance\r\n".as_bytes()
        );
    }
}
