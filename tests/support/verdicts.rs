//! The verdicts of a JSON report, as the tests that compare two runs read them.

/// (claim, verdict, trace length) per property of a JSON report, and the whole report.
pub fn claim_verdicts(json: &str) -> (Vec<(String, String, Option<u64>)>, serde_json::Value) {
    let v: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    let props = v["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let len = p["counterexample"]["length"]
                .as_u64()
                .or(p["witness"]["length"].as_u64());
            (
                p["name"].as_str().unwrap().to_string(),
                p["verdict"].as_str().unwrap().to_string(),
                len,
            )
        })
        .collect();
    (props, v)
}
