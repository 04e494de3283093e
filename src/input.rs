//! Checked reading of input files (issue #13): every file smfcheck reads — a campaign, an IMM
//! configuration, a property set, a saved trace — goes through [`read_text`], which refuses what
//! is not a regular file (a directory, `/dev/zero`, a FIFO that would block forever), anything
//! larger than the input cap ([`max_input_bytes`], 256 MiB unless `SMFCHECK_MAX_INPUT_SIZE` says
//! otherwise), text that is not UTF-8, and a file whose first element is not the expected root
//! (an IMM file that is not `IMM-contents`, a campaign that is not `upgradeCampaign`, a trace
//! that is not a JSON object). Those refusals never quote the file: a path may come from an
//! untrusted saved trace, and quoting the first line of whatever it names (`/etc/passwd`) would
//! leak it. [`Origin`] says where a path came from, so that a message can say "named by trace
//! T.json".

use crate::error::Error;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The input cap when `SMFCHECK_MAX_INPUT_SIZE` is not set: far above any real campaign or IMM
/// file (OpenSAF's largest sample is under 1 MiB), far below what would exhaust memory.
pub const DEFAULT_MAX_INPUT: u64 = 256 << 20;

/// The environment variable that sets the input cap (a size as `--max-memory` takes it).
pub const MAX_INPUT_ENV: &str = "SMFCHECK_MAX_INPUT_SIZE";

/// What a file is expected to hold: decides the sniffing of its start and the word used when it
/// does not hold that.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// IMM XML (`<imm:IMM-contents>`).
    Imm,
    /// An upgrade campaign (`<upgradeCampaign>`).
    Campaign,
    /// A property-set file (names, `#` comments).
    Properties,
    /// A saved trace (`smfcheck-trace/2` or `/1`, a JSON object).
    Trace,
    /// A JSON report (`smfcheck-report/1`), for `smfcheck merge`.
    Report,
}

impl Kind {
    fn what(self) -> &'static str {
        match self {
            Kind::Imm => "an IMM XML file",
            Kind::Campaign => "an upgrade-campaign XML file",
            Kind::Properties => "a property-set file",
            Kind::Trace => "a saved smfcheck trace",
            Kind::Report => "a JSON report of smfcheck",
        }
    }
}

/// Where a path came from, for messages: the command line (the path alone, as every message of
/// smfcheck names its files), or an option recorded in a saved trace.
#[derive(Clone, Debug)]
pub enum Origin {
    CommandLine,
    /// `option` (`--config`, or `campaign` for the positional one) named by the trace `trace`.
    Trace {
        option: String,
        trace: PathBuf,
    },
}

/// A path with its origin, displayed as messages name it.
pub struct Named<'a> {
    pub path: &'a Path,
    pub origin: &'a Origin,
}

impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.origin {
            Origin::CommandLine => write!(f, "{}", self.path.display()),
            Origin::Trace { option, trace } => write!(
                f,
                "{option} {} named by trace {}",
                self.path.display(),
                trace.display()
            ),
        }
    }
}

/// The input cap in bytes: `SMFCHECK_MAX_INPUT_SIZE` (`64M`, `1G`, …) or [`DEFAULT_MAX_INPUT`].
pub fn max_input_bytes() -> Result<u64, Error> {
    match std::env::var(MAX_INPUT_ENV) {
        Ok(v) if !v.trim().is_empty() => {
            crate::check::parse_bytes(&v).map_err(|e| Error::Usage(format!("{MAX_INPUT_ENV}: {e}")))
        }
        _ => Ok(DEFAULT_MAX_INPUT),
    }
}

/// Refuse what is not a regular file, before anything opens it (opening a FIFO blocks until a
/// writer comes; reading `/dev/zero` never ends).
pub fn check_regular(path: &Path, origin: &Origin) -> Result<std::fs::Metadata, Error> {
    let named = Named { path, origin };
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: named.to_string(),
        source,
    })?;
    if meta.is_file() {
        return Ok(meta);
    }
    let what = file_type_word(&meta);
    Err(Error::Usage(format!(
        "{named}: is {what}, not a regular file"
    )))
}

fn file_type_word(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

fn too_large(named: &Named<'_>, cap: u64) -> Error {
    Error::Usage(format!(
        "{named}: larger than the input cap of {} (set {MAX_INPUT_ENV} to raise it)",
        crate::check::human_bytes(cap)
    ))
}

/// Read the bytes of `path`: a regular file, at most the input cap (what every reader of
/// input files goes through, the XML readers' `read_file` included).
pub fn read_bytes(path: &Path, origin: &Origin) -> Result<Vec<u8>, Error> {
    let cap = max_input_bytes()?;
    let named = Named { path, origin };
    let meta = check_regular(path, origin)?;
    if meta.len() > cap {
        return Err(too_large(&named, cap));
    }
    let io = |source| Error::Io {
        path: named.to_string(),
        source,
    };
    // Non-blocking open: if the path was swapped for a FIFO after the check above, the open
    // returns instead of waiting for a writer; the check of the opened file then refuses it.
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
            .map_err(io)?
    };
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(Error::Usage(format!(
            "{named}: is {}, not a regular file",
            file_type_word(&meta)
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(cap) as usize);
    // The file may grow while it is read: never take more than the cap (+1 to notice).
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(too_large(&named, cap));
    }
    Ok(bytes)
}

/// Read `path` as text of `kind`: a regular file, at most the input cap, UTF-8 (XML: or
/// UTF-16), starting as `kind` starts. Nothing of the file is quoted in an error.
pub fn read_text(path: &Path, kind: Kind, origin: &Origin) -> Result<String, Error> {
    let named = Named { path, origin };
    let bytes = read_bytes(path, origin)?;
    // XML may be UTF-8 or UTF-16 (decoded by the XML reader's own rules, with the position of
    // any invalid sequence); the other inputs are UTF-8.
    let text = if matches!(kind, Kind::Campaign | Kind::Imm) {
        crate::xml::position::decode(&named.to_string(), bytes)?
    } else {
        String::from_utf8(bytes)
            .map_err(|_| Error::Usage(format!("{named}: not {} (not UTF-8 text)", kind.what())))?
    };
    sniff(&text, kind)
        .map_err(|why| Error::Usage(format!("{named}: not {} ({why})", kind.what())))?;
    Ok(text)
}

/// Check the regular-file rule, the cap and the start of `path` without keeping the text: for
/// readers outside this module that open files themselves (see the module docs).
pub fn check(path: &Path, kind: Kind, origin: &Origin) -> Result<(), Error> {
    read_text(path, kind, origin).map(drop)
}

/// Read and parse an upgrade campaign named on the command line, through [`read_text`].
pub fn campaign(path: &Path) -> Result<crate::xml::campaign::Campaign, Error> {
    let text = read_text(path, Kind::Campaign, &Origin::CommandLine)?;
    crate::xml::campaign::parse_campaign_str(&path.display().to_string(), &text)
}

/// Read and parse an IMM XML file named on the command line, through [`read_text`].
pub fn imm(path: &Path) -> Result<crate::xml::imm::ImmFile, Error> {
    let text = read_text(path, Kind::Imm, &Origin::CommandLine)?;
    crate::xml::imm::parse_imm_str(&path.display().to_string(), &text)
}

/// Whether `text` starts as `kind` does; the reason (never quoting the text) if not.
fn sniff(text: &str, kind: Kind) -> Result<(), &'static str> {
    match kind {
        Kind::Imm => match root_element(text) {
            Some(name) if local(name) == "IMM-contents" => Ok(()),
            Some(_) => Err("its root element is not IMM-contents"),
            None => Err("no XML root element"),
        },
        Kind::Campaign => match root_element(text) {
            Some(name) if local(name) == "upgradeCampaign" => Ok(()),
            Some(_) => Err("its root element is not upgradeCampaign"),
            None => Err("no XML root element"),
        },
        Kind::Trace | Kind::Report => {
            if text
                .trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('{')
            {
                Ok(())
            } else {
                Err("not JSON: it does not start with `{`")
            }
        }
        // Property names are printable words: a NUL or another control character means a
        // binary file, whose "unknown property" message would quote binary garbage.
        Kind::Properties => {
            if text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            {
                Err("it holds control characters")
            } else {
                Ok(())
            }
        }
    }
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// The name of the first element of an XML text, after the BOM, declaration, processing
/// instructions, comments and a doctype; `None` if something else comes first.
fn root_element(text: &str) -> Option<&str> {
    let mut t = text.trim_start_matches('\u{feff}');
    loop {
        t = t.trim_start();
        if let Some(rest) = t.strip_prefix("<?") {
            t = &rest[rest.find("?>")? + 2..];
        } else if let Some(rest) = t.strip_prefix("<!--") {
            t = &rest[rest.find("-->")? + 3..];
        } else if let Some(rest) = t.strip_prefix("<!") {
            // A doctype, possibly with an internal subset in brackets.
            let end = match (rest.find('['), rest.find('>')) {
                (Some(b), Some(g)) if b < g => rest.find("]>")? + 2,
                (_, Some(g)) => g + 1,
                _ => return None,
            };
            t = &rest[end..];
        } else {
            let rest = t.strip_prefix('<')?;
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(rest.len());
            let name = &rest[..end];
            return (!name.is_empty()).then_some(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots() {
        assert_eq!(
            root_element("\u{feff}<?xml version=\"1.0\"?>\n<!-- c -->\n<imm:IMM-contents x>"),
            Some("imm:IMM-contents")
        );
        assert_eq!(
            root_element("<!DOCTYPE a [<!ENTITY x \"y\">]><upgradeCampaign/>"),
            Some("upgradeCampaign")
        );
        assert_eq!(root_element("root:x:0:0"), None);
        assert_eq!(root_element("<!-- never closed"), None);
        assert!(sniff("<foo/>", Kind::Imm).is_err());
        assert!(sniff(" {\"schema\":1}", Kind::Trace).is_ok());
        assert!(sniff("a\0b", Kind::Properties).is_err());
    }
}
