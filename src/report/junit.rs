//! The JUnit XML report, for CI systems that show test results: one `<testcase>` per property.
//! A violated claim (or a reachability claim proven unreachable) is a `<failure>` whose text is
//! the counterexample as the text report prints it; a claim the run could not decide is an
//! `<error>`; a claim that does not apply is `<skipped>`. Rendered from the JSON [`Report`] so
//! that both say the same.

use super::json::{Report, trace_text};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io;

/// What a property's verdict is in JUnit terms.
enum Case<'a> {
    Pass,
    Failure { message: String, body: String },
    Error { message: String },
    Skipped { message: &'a str },
}

fn case<'a>(report: &'a Report, p: &'a super::json::PropertyReport) -> Case<'a> {
    let trace = p
        .counterexample
        .as_ref()
        .map(trace_text)
        .unwrap_or_default();
    match p.verdict.as_str() {
        "violated" => Case::Failure {
            message: format!("VIOLATED: {}", p.doc),
            body: trace,
        },
        "unreachable" => Case::Failure {
            message: format!(
                "UNREACHABLE under these bounds: {} (raise --faults if it needs more failures)",
                p.doc
            ),
            body: String::new(),
        },
        "stale" => Case::Error {
            message: format!("stale trace: {}", p.doc),
        },
        "inconclusive" => Case::Error {
            message: format!(
                "inconclusive: {}",
                report
                    .exploration
                    .limit
                    .as_ref()
                    .map(|l| l.message.as_str())
                    .unwrap_or("the run was cut short")
            ),
        },
        "not-applicable" => Case::Skipped {
            message: "the claim does not apply to this model",
        },
        _ => Case::Pass,
    }
}

/// The report as JUnit XML (one test suite named after the run's title).
pub fn render(report: &Report) -> String {
    write(report).expect("writing to memory cannot fail")
}

fn write(report: &Report) -> io::Result<String> {
    let cases: Vec<_> = report.properties.iter().map(|p| case(report, p)).collect();
    let count = |f: fn(&Case) -> bool| cases.iter().filter(|c| f(c)).count().to_string();
    let tests = report.properties.len().to_string();
    let failures = count(|c| matches!(c, Case::Failure { .. }));
    let errors = count(|c| matches!(c, Case::Error { .. }));
    let skipped = count(|c| matches!(c, Case::Skipped { .. }));
    let time = report
        .statistics
        .as_ref()
        .map(|s| format!("{:.3}", s.elapsed_seconds))
        .unwrap_or_else(|| "0.000".into());
    let classname = format!("smfcheck.{}", report.command);

    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let counts = [
        ("tests", tests.as_str()),
        ("failures", failures.as_str()),
        ("errors", errors.as_str()),
        ("skipped", skipped.as_str()),
        ("time", time.as_str()),
    ];
    w.create_element("testsuites")
        .with_attribute(("name", "smfcheck"))
        .with_attributes(counts)
        .write_inner_content(|w| {
            w.create_element("testsuite")
                .with_attribute(("name", report.title.as_str()))
                .with_attributes(counts)
                .write_inner_content(|w| {
                    write_properties(w, report)?;
                    for (p, c) in report.properties.iter().zip(&cases) {
                        let el = w
                            .create_element("testcase")
                            .with_attribute(("name", p.name.as_str()))
                            .with_attribute(("classname", classname.as_str()));
                        match c {
                            Case::Pass => {
                                el.write_empty()?;
                            }
                            Case::Failure { message, body } => {
                                el.write_inner_content(|w| {
                                    let f = w
                                        .create_element("failure")
                                        .with_attribute(("message", message.as_str()))
                                        .with_attribute(("type", p.verdict.as_str()));
                                    if body.is_empty() {
                                        f.write_empty()?;
                                    } else {
                                        f.write_text_content(BytesText::new(body))?;
                                    }
                                    Ok(())
                                })?;
                            }
                            Case::Error { message } => {
                                el.write_inner_content(|w| {
                                    w.create_element("error")
                                        .with_attribute(("message", message.as_str()))
                                        .with_attribute(("type", p.verdict.as_str()))
                                        .write_empty()?;
                                    Ok(())
                                })?;
                            }
                            Case::Skipped { message } => {
                                el.write_inner_content(|w| {
                                    w.create_element("skipped")
                                        .with_attribute(("message", *message))
                                        .write_empty()?;
                                    Ok(())
                                })?;
                            }
                        }
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    let mut out = String::from_utf8(w.into_inner()).expect("quick-xml writes UTF-8");
    out.push('\n');
    Ok(out)
}

/// The run's statistics and exploration status as `<properties>` of the suite.
fn write_properties(w: &mut Writer<Vec<u8>>, report: &Report) -> io::Result<()> {
    let mut props: Vec<(&str, String)> = vec![
        ("verdict", report.verdict.clone()),
        (
            "exploration",
            match &report.exploration.limit {
                Some(l) => format!("incomplete: {}", l.message),
                None if report.exploration.exhaustive => "exhaustive".into(),
                None => "one path (replay)".into(),
            },
        ),
    ];
    if let Some(s) = &report.statistics {
        props.push(("unique_states", s.unique_states.to_string()));
        props.push(("transitions", s.transitions.to_string()));
        props.push(("max_depth", s.max_depth.to_string()));
        props.push(("states_stored", s.states_stored.clone()));
    }
    if let Some(input) = &report.input {
        props.push(("input", input.clone()));
    }
    w.create_element("properties").write_inner_content(|w| {
        for (name, value) in &props {
            w.create_element("property")
                .with_attribute(("name", *name))
                .with_attribute(("value", value.as_str()))
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}
